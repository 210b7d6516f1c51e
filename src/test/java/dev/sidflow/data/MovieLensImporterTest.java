package dev.sidflow.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MovieLensImporterTest {
    @TempDir
    Path dir;

    private void writeMovies() throws Exception {
        TestFiles.write(dir, "movies.csv", "movieId,title,genres",
                "1,Toy Story (1995),Adventure|Animation|Children",
                "11,\"American President, The (1995)\",Comedy|Drama|Romance",
                "12,\"Film \"\"Quoted\"\" &amp; More, A (2001)\",(no genres listed)");
    }

    @Test
    void readsQuotedTitlesGenresAndRealTimestamps() throws Exception {
        writeMovies();
        TestFiles.write(dir, "ratings.csv", "userId,movieId,rating,timestamp",
                "5,11,4.0,964982703", "5,1,3.5,964981247", "6,12,5,1000000000");
        Dataset d = new MovieLensImporter().load(dir);
        assertThat(d.items()).hasSize(3);
        assertThat(d.item("11").title()).isEqualTo("American President, The (1995)");
        assertThat(d.item("11").categories()).containsExactly("Comedy", "Drama", "Romance");
        assertThat(d.item("12").title()).isEqualTo("Film \"Quoted\" & More, A (2001)");
        assertThat(d.item("12").categories()).isEmpty();
        assertThat(d.item("12").attributes()).containsEntry("year", "2001");
        assertThat(d.syntheticTimestamps()).isFalse();
        // sorted by event time: user 5 rated movie 1 before movie 11
        assertThat(d.sequences().get("5")).containsExactly("1", "11");
        assertThat(d.interactions().get(0).timestamp()).isEqualTo(964981247000L);
        assertThat(d.interactions()).allMatch(i -> i.eventType().equals("RATE"));
    }

    @Test
    void unbalancedQuotesAndBadNumbersNameFileAndLine() throws Exception {
        writeMovies();
        TestFiles.write(dir, "ratings.csv", "userId,movieId,rating,timestamp", "5,11,4.0,964982703", "5,1,4.0,yesterday");
        assertThatThrownBy(() -> new MovieLensImporter().load(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("ratings.csv:3")
                .hasMessageContaining("yesterday");

        TestFiles.write(dir, "movies.csv", "movieId,title,genres", "1,Toy Story (1995),Comedy",
                "2,American President, The (1995),Comedy");
        assertThatThrownBy(() -> new MovieLensImporter().load(dir))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("movies.csv:3")
                .hasMessageContaining("expected 3 comma-separated fields, found 4");
    }

    @Test
    void quotedFieldMaySpanLinesAndLineNumbersStayRight() throws Exception {
        TestFiles.write(dir, "movies.csv", "movieId,title,genres", "1,\"Two", "Lines\",Drama", "2,X,Drama");
        TestFiles.write(dir, "ratings.csv", "userId,movieId,rating,timestamp", "1,1,4,1", "1,3,4,2");
        assertThatThrownBy(() -> new MovieLensImporter().load(dir))
                .hasMessageContaining("ratings.csv:3")
                .hasMessageContaining("\"3\"");
        TestFiles.write(dir, "ratings.csv", "userId,movieId,rating,timestamp", "1,1,4,1");
        Dataset d = new MovieLensImporter().load(dir);
        assertThat(d.item("1").title()).isEqualTo("Two\nLines");
        assertThat(d.sequences()).containsEntry("1", List.of("1"));
    }
}
