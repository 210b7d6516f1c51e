package dev.sidflow.stream.kafka;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    @Test
    void pacesToTheRequestedRate() throws Exception {
        TokenBucket bucket = new TokenBucket(500);
        long t0 = System.nanoTime();
        for (int i = 0; i < 200; i++) bucket.acquire();
        double seconds = (System.nanoTime() - t0) / 1e9;
        // 200 permits at 500/s with a burst of 50: at least (200 - 50) / 500 = 0.3 s
        assertThat(seconds).isGreaterThan(0.29).isLessThan(3.0);
    }

    @Test
    void zeroRateIsUnlimited() throws Exception {
        TokenBucket bucket = new TokenBucket(0);
        long t0 = System.nanoTime();
        for (int i = 0; i < 100_000; i++) bucket.acquire();
        assertThat(bucket.unlimited()).isTrue();
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(1.0);
    }
}
