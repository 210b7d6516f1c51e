package dev.sidflow.data;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded generator of a video-game shop with the structure a sequential recommender should
 * find, for tests and the zero-setup demo (no download needed).
 * <p>
 * Catalog: franchises ("Star Raiders") of one genre and publisher, released as numbered
 * installments ("Star Raiders 2 - Switch") on one to three platforms (Xbox, PlayStation, Switch,
 * PC), plus about 10% accessories per platform ("Xbox Wireless Controller"). Attributes:
 * {@code kind} (game/accessory), {@code platform}, {@code genre}, and for games {@code franchise}
 * and {@code installment}. Item popularity follows Zipf's law over a random ranking.
 * <p>
 * Users: a latent taste (two favourite genres, a main platform). Each purchase is followed, with
 * probability {@link #P_SEQUEL}, by the next installment of the same franchise on the same
 * platform when there is one; otherwise, with probability {@link #P_ACCESSORY} after a game, by an
 * accessory of its platform; otherwise by a taste-driven, popularity-weighted pick (10% of the
 * time from the whole catalog). Timestamps increase with exponential gaps: hours after a game for
 * its accessory, weeks for a sequel, days otherwise. No user buys an item twice.
 * <p>
 * The same {@link Config} gives the identical data set (one {@link SplittableRandom} stream).
 */
public final class SyntheticData {
    public static final double P_SEQUEL = 0.6;
    public static final double P_ACCESSORY = 0.35;
    public static final double P_EXPLORE = 0.1;
    public static final double ACCESSORY_SHARE = 0.1;
    public static final double ZIPF_EXPONENT = 1.0;
    /** Users start somewhere in the two years after this instant. */
    public static final long START_MS = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();

    static final String[] PLATFORMS = {"Xbox", "PlayStation", "Switch", "PC"};
    private static final String[] PLATFORM_MAKERS = {"Microsoft", "Sony", "Nintendo", null};
    static final String[] GENRES = {"Action", "Adventure", "RPG", "Shooter", "Racing", "Sports",
            "Strategy", "Puzzle", "Platformer", "Fighting", "Simulation", "Horror"};
    private static final String[] GENRE_BLURBS = {
            "Fight through hordes of enemies", "Explore a vast world full of secrets",
            "Build a party of heroes and shape the story", "Lead your squad through intense firefights",
            "Race high-speed machines on tracks around the globe", "Compete for the championship with your team",
            "Command armies and outwit rival empires", "Solve hundreds of mind-bending puzzles",
            "Run and jump through colourful levels", "Master combos and challenge fighters online",
            "Build and manage your own world", "Survive the night and uncover what lurks in the dark"};
    private static final String[] ADJECTIVES = {"Star", "Shadow", "Iron", "Crimson", "Neon", "Eternal", "Frozen",
            "Silent", "Galactic", "Savage", "Mystic", "Rogue", "Thunder", "Hollow", "Golden", "Cyber", "Lost",
            "Burning", "Phantom", "Wild", "Dark", "Solar", "Steel", "Arcane", "Turbo", "Pixel", "Primal", "Lunar",
            "Storm", "Ember"};
    private static final String[] NOUNS = {"Raiders", "Legends", "Kingdom", "Odyssey", "Racers", "Tactics", "Quest",
            "Frontier", "Chronicles", "Dynasty", "Protocol", "Horizon", "Rebellion", "Knights", "Circuit", "League",
            "Arena", "Saga", "Outlaws", "Empire", "Voyage", "Titans", "Rift", "Siege", "Drift", "Dungeon", "Colony",
            "Strike", "Pilots", "Hunters"};
    private static final String[] SUFFIXES = {"", " Zero", " Unleashed", " Reborn", " Online", " World", " Academy",
            " Heroes", " Rising", " Nexus"};
    private static final String[] PUBLISHERS = {"Nebula Games", "Ironclad Interactive", "Bluefin Studios",
            "Red Comet", "Polygon Forge", "Lighthouse Entertainment", "Quartz Works", "Moonbase Software",
            "Tall Tree Games", "Vector Nine", "Harbor Lights", "Kestrel Interactive"};
    private static final String[][] ACCESSORIES = {
            {"Wireless Controller", "Charging Dock", "Gaming Headset", "Carrying Case", "Memory Card 128GB",
                    "Racing Wheel", "Arcade Stick", "Controller Grip", "HDMI Cable", "Vertical Stand"},
            {"Wireless Controller", "Charging Station", "Gaming Headset", "Travel Case", "Media Remote",
                    "Racing Wheel", "Arcade Stick", "Thumb Grips", "External SSD 1TB", "Cooling Fan"},
            {"Pro Controller", "Joy-Con Charging Grip", "Gaming Headset", "Carrying Case", "microSD Card 256GB",
                    "Steering Wheel Pair", "Arcade Stick", "Screen Protector", "Dock Cover", "Travel Adapter"},
            {"Gaming Mouse", "Mechanical Keyboard", "Gaming Headset", "Mouse Pad XL", "Wireless Controller",
                    "Racing Wheel", "Flight Stick", "Webcam", "USB Hub", "Monitor Light Bar"}};
    private static final String[] ACCESSORY_BRANDS = {"Apex Gear", "Nova Peripherals", "HyperGrip", "Pulse Audio"};
    private static final String[] COLORS = {"", " - Black", " - White", " - Red", " - Blue", " - Camo"};

    /**
     * @param users              number of users
     * @param items              catalog size (at least 10)
     * @param meanSequenceLength mean interactions per user (at least 1; shorter when a user runs
     *                           out of new items)
     * @param seed               random seed
     */
    public record Config(int users, int items, double meanSequenceLength, long seed) {
        public Config {
            if (users < 1) throw new IllegalArgumentException("users must be >= 1, got " + users);
            if (items < 10) throw new IllegalArgumentException("items must be >= 10, got " + items);
            if (!(meanSequenceLength >= 1)) {
                throw new IllegalArgumentException("mean sequence length must be >= 1, got " + meanSequenceLength);
            }
        }

        public static Config of(int users, int items, long seed) {
            return new Config(users, items, 8.0, seed);
        }
    }

    private SyntheticData() {}

    /** One catalog entry with the structure the item record only holds as strings. */
    private record Product(Item item, boolean accessory, int platform, int genre, int franchise, int installment) {}

    public static Dataset generate(Config config) {
        SplittableRandom rng = new SplittableRandom(config.seed());
        Catalog catalog = new Catalog(config.items(), rng);
        List<Interaction> interactions = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8,
                (long) (config.users() * config.meanSequenceLength() * 1.1)));
        int minLength = (int) Math.min(3, Math.floor(config.meanSequenceLength()));
        double extraMean = config.meanSequenceLength() - minLength;
        for (int u = 0; u < config.users(); u++) {
            simulateUser("u" + u, minLength, extraMean, catalog, rng, interactions);
        }
        String source = String.format(Locale.ROOT, "synthetic:users=%d,items=%d,meanLength=%s,seed=%d",
                config.users(), config.items(), config.meanSequenceLength(), config.seed());
        List<Item> items = new ArrayList<>(catalog.products.length);
        for (Product p : catalog.products) items.add(p.item);
        return new Dataset("synthetic-games", source, items, interactions, false);
    }

    private static void simulateUser(String userId, int minLength, double extraMean, Catalog catalog,
                                     SplittableRandom rng, List<Interaction> out) {
        // latent taste: two favourite genres and a main platform
        int genreA = rng.nextInt(GENRES.length);
        int genreB = (genreA + 1 + rng.nextInt(GENRES.length - 1)) % GENRES.length;
        int platform = rng.nextInt(PLATFORMS.length);
        int length = minLength + geometric(extraMean, rng);
        length = Math.min(length, catalog.products.length / 2);
        Set<Integer> bought = new HashSet<>();
        long time = START_MS + (long) (rng.nextDouble() * 730 * DAY);
        int previous = -1;
        for (int step = 0; step < length; step++) {
            int next = -1;
            double gapMean = 5 * DAY;
            if (previous >= 0) {
                Product prev = catalog.products[previous];
                int sequel = prev.accessory ? -1 : catalog.sequelOf(previous);
                if (sequel >= 0 && !bought.contains(sequel) && rng.nextDouble() < P_SEQUEL) {
                    next = sequel;
                    gapMean = 20 * DAY;
                } else if (!prev.accessory && rng.nextDouble() < P_ACCESSORY) {
                    int acc = catalog.accessories[prev.platform].sample(rng);
                    if (acc >= 0 && !bought.contains(acc)) {
                        next = acc;
                        gapMean = 6 * HOUR;
                    }
                }
            }
            for (int attempt = 0; next < 0 && attempt < 20; attempt++) {
                int candidate;
                if (rng.nextDouble() < P_EXPLORE) {
                    candidate = catalog.all.sample(rng);
                } else {
                    double g = rng.nextDouble();
                    int genre = g < 0.6 ? genreA : g < 0.9 ? genreB : rng.nextInt(GENRES.length);
                    int plat = rng.nextDouble() < 0.85 ? platform : rng.nextInt(PLATFORMS.length);
                    candidate = catalog.sampleGame(genre, plat, rng);
                }
                if (!bought.contains(candidate)) next = candidate;
            }
            if (next < 0) break; // this user has seen everything we would offer
            time += Math.max(MINUTE, (long) (-Math.log(1 - rng.nextDouble()) * gapMean));
            bought.add(next);
            out.add(new Interaction(userId, catalog.products[next].item.itemId(), time, "PURCHASE"));
            previous = next;
        }
    }

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    /** Number of failures before success with the given mean (0 when the mean is 0). */
    private static int geometric(double mean, SplittableRandom rng) {
        if (mean <= 0) return 0;
        double p = 1 / (1 + mean);
        return (int) Math.floor(Math.log(1 - rng.nextDouble()) / Math.log(1 - p));
    }

    /** Popularity-weighted sampling over a fixed set of product indices. */
    private static final class Sampler {
        final int[] products;
        final double[] cumulative;

        Sampler(List<Integer> indices, double[] weight) {
            products = indices.stream().mapToInt(Integer::intValue).toArray();
            cumulative = new double[products.length];
            double sum = 0;
            for (int i = 0; i < products.length; i++) {
                sum += weight[products[i]];
                cumulative[i] = sum;
            }
        }

        boolean isEmpty() { return products.length == 0; }

        int sample(SplittableRandom rng) {
            if (products.length == 0) return -1;
            double x = rng.nextDouble() * cumulative[cumulative.length - 1];
            int i = Arrays.binarySearch(cumulative, x);
            if (i < 0) i = -i - 1;
            return products[Math.min(i, products.length - 1)];
        }
    }

    private static final class Catalog {
        final Product[] products;
        final Sampler all;
        final Sampler[] accessories = new Sampler[PLATFORMS.length];
        final Sampler[] games;            // by genre * PLATFORMS.length + platform
        final Sampler[] gamesByPlatform = new Sampler[PLATFORMS.length];
        final Map<Long, Integer> byInstallment = new HashMap<>();  // (franchise, installment, platform) -> index

        Catalog(int size, SplittableRandom rng) {
            int accessoryCount = Math.max(PLATFORMS.length, (int) Math.round(size * ACCESSORY_SHARE));
            List<Product> list = new ArrayList<>(size);
            addGames(list, size - accessoryCount, rng);
            addAccessories(list, accessoryCount);
            // shuffle so that item ids carry no franchise order
            for (int i = list.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Product t = list.get(i);
                list.set(i, list.get(j));
                list.set(j, t);
            }
            products = new Product[list.size()];
            for (int i = 0; i < products.length; i++) {
                Product p = list.get(i);
                Item item = p.item;
                products[i] = new Product(new Item("i" + i, item.title(), item.text(), item.brand(), item.categories(),
                        item.attributes()), p.accessory, p.platform, p.genre, p.franchise, p.installment);
                if (!p.accessory) byInstallment.put(key(p.franchise, p.installment, p.platform), i);
            }
            // Zipf popularity over a random ranking
            int[] rank = new int[products.length];
            for (int i = 0; i < rank.length; i++) rank[i] = i;
            for (int i = rank.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = rank[i];
                rank[i] = rank[j];
                rank[j] = t;
            }
            double[] weight = new double[products.length];
            for (int i = 0; i < weight.length; i++) weight[i] = 1 / Math.pow(rank[i] + 1, ZIPF_EXPONENT);
            List<Integer> allIdx = new ArrayList<>();
            List<List<Integer>> acc = new ArrayList<>(), byPlat = new ArrayList<>(), bucket = new ArrayList<>();
            for (int p = 0; p < PLATFORMS.length; p++) {
                acc.add(new ArrayList<>());
                byPlat.add(new ArrayList<>());
            }
            for (int b = 0; b < GENRES.length * PLATFORMS.length; b++) bucket.add(new ArrayList<>());
            for (int i = 0; i < products.length; i++) {
                Product p = products[i];
                allIdx.add(i);
                if (p.accessory) {
                    acc.get(p.platform).add(i);
                } else {
                    byPlat.get(p.platform).add(i);
                    bucket.get(p.genre * PLATFORMS.length + p.platform).add(i);
                }
            }
            all = new Sampler(allIdx, weight);
            games = new Sampler[bucket.size()];
            for (int b = 0; b < games.length; b++) games[b] = new Sampler(bucket.get(b), weight);
            for (int p = 0; p < PLATFORMS.length; p++) {
                accessories[p] = new Sampler(acc.get(p), weight);
                gamesByPlatform[p] = new Sampler(byPlat.get(p), weight);
            }
        }

        static long key(int franchise, int installment, int platform) {
            return ((long) franchise << 20) | ((long) installment << 4) | platform;
        }

        int sequelOf(int index) {
            Product p = products[index];
            Integer s = byInstallment.get(key(p.franchise, p.installment + 1, p.platform));
            return s == null ? -1 : s;
        }

        /** A game of the genre on the platform; falls back to the platform, then the whole catalog. */
        int sampleGame(int genre, int platform, SplittableRandom rng) {
            Sampler s = games[genre * PLATFORMS.length + platform];
            if (s.isEmpty()) s = gamesByPlatform[platform];
            if (s.isEmpty()) s = all;
            return s.sample(rng);
        }

        private static void addGames(List<Product> out, int count, SplittableRandom rng) {
            int names = ADJECTIVES.length * NOUNS.length * SUFFIXES.length;
            // a random permutation walk over all names: stride coprime with the count
            int stride = coprimeStride(names, rng);
            int start = rng.nextInt(names);
            int franchise = 0;
            while (out.size() < count) {
                int n = (int) ((start + (long) franchise * stride) % names);
                int cycle = franchise / names;
                String name = ADJECTIVES[n % ADJECTIVES.length] + " " + NOUNS[(n / ADJECTIVES.length) % NOUNS.length]
                        + SUFFIXES[n / (ADJECTIVES.length * NOUNS.length)] + (cycle > 0 ? " " + romanish(cycle) : "");
                int genre = rng.nextInt(GENRES.length);
                String publisher = PUBLISHERS[rng.nextInt(PUBLISHERS.length)];
                int installments = 1 + Math.min(5, geometric(1.2, rng));
                boolean[] on = new boolean[PLATFORMS.length];
                int platforms = 1 + rng.nextInt(3);
                for (int k = 0; k < platforms; k++) on[rng.nextInt(PLATFORMS.length)] = true;
                for (int inst = 1; inst <= installments && out.size() < count; inst++) {
                    for (int p = 0; p < PLATFORMS.length && out.size() < count; p++) {
                        if (!on[p]) continue;
                        String title = name + (inst > 1 ? " " + inst : "") + " - " + PLATFORMS[p];
                        String text = GENRE_BLURBS[genre] + ". " + GENRES[genre] + " game for " + PLATFORMS[p]
                                + (inst > 1 ? ", part " + inst + " of the " + name + " series." : ", the first " + name + " game.");
                        Map<String, String> attrs = Map.of("kind", "game", "platform", PLATFORMS[p],
                                "genre", GENRES[genre], "franchise", name, "installment", Integer.toString(inst));
                        Item item = new Item("tmp", title, text, publisher,
                                List.of("Video Games", PLATFORMS[p], GENRES[genre]), attrs);
                        out.add(new Product(item, false, p, genre, franchise, inst));
                    }
                }
                franchise++;
            }
        }

        private static String romanish(int cycle) {
            return "Edition " + (cycle + 1);
        }

        private static int coprimeStride(int n, SplittableRandom rng) {
            while (true) {
                int s = 1 + rng.nextInt(n - 1);
                if (gcd(s, n) == 1) return s;
            }
        }

        private static int gcd(int a, int b) {
            return b == 0 ? a : gcd(b, a % b);
        }

        private static void addAccessories(List<Product> out, int count) {
            int perPlatform = ACCESSORIES[0].length;
            for (int i = 0; i < count; i++) {
                int platform = i % PLATFORMS.length;
                int template = (i / PLATFORMS.length) % perPlatform;
                int variant = i / (PLATFORMS.length * perPlatform);
                String brand;
                String prefix;
                if (variant == 0 && PLATFORM_MAKERS[platform] != null) {
                    brand = PLATFORM_MAKERS[platform];
                    prefix = "";
                } else {
                    brand = ACCESSORY_BRANDS[(variant + template) % ACCESSORY_BRANDS.length];
                    prefix = brand + " ";
                }
                String color = COLORS[variant % COLORS.length];
                String edition = variant >= COLORS.length ? " Mk " + (variant / COLORS.length + 1) : "";
                String title = prefix + PLATFORMS[platform] + " " + ACCESSORIES[platform][template] + color + edition;
                String text = ACCESSORIES[platform][template] + " for " + PLATFORMS[platform] + " by " + brand + ".";
                Map<String, String> attrs = Map.of("kind", "accessory", "platform", PLATFORMS[platform],
                        "genre", "Accessory");
                Item item = new Item("tmp", title, text, brand,
                        List.of("Video Games", PLATFORMS[platform], "Accessories"), attrs);
                out.add(new Product(item, true, platform, -1, -1, 0));
            }
        }
    }
}
