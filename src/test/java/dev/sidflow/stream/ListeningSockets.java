package dev.sidflow.stream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The TCP sockets a process listens on, read from Linux's /proc: the process's socket inodes
 * (/proc/PID/fd) matched against the LISTEN entries of /proc/net/tcp and tcp6.
 */
record ListeningSockets(List<Listener> listeners) {

    /** One listening socket: its local address as text (e.g. 127.0.0.1, 0.0.0.0, ::) and port. */
    record Listener(String address, int port) {
        boolean loopback() {
            return address.equals("127.0.0.1") || address.equals("::1") || address.equals("::ffff:127.0.0.1");
        }
    }

    static ListeningSockets ofProcess(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        List<Listener> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (!f[3].equals("0A") || !inodes.contains(f[9])) continue;  // 0A = LISTEN
                String[] local = f[1].split(":");
                out.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
            }
        }
        return new ListeningSockets(out);
    }

    /** /proc's hex address (32-bit words in host byte order) as text. */
    static String address(String hex) {
        if (hex.length() == 8) return ipv4(hex);
        if (hex.startsWith("0000000000000000FFFF0000")) return "::ffff:" + ipv4(hex.substring(24));
        if (hex.equals("00000000000000000000000001000000")) return "::1";
        if (hex.equals("00000000000000000000000000000000")) return "::";
        return hex.toLowerCase(Locale.ROOT);
    }

    private static String ipv4(String hex) {
        long v = Long.parseLong(hex, 16);
        return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
    }
}
