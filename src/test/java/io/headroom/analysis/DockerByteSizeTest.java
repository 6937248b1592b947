package io.headroom.analysis;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docker-py's parse_bytes (docker/utils/utils.py, Debian python3-docker, read and run on this machine),
 * which docker-compose 1.29 applies to mem_limit. Note "12582912 kB" is accepted: float() allows the space.
 */
class DockerByteSizeTest {
    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "2147483648, 2147483648",
            "1g, 1073741824",
            "1G, 1073741824",
            "512m, 536870912",
            "512mb, 536870912",
            "4k, 4096",
            "10b, 10",
            "1.5g, 1610612736",
            "0, 0",
            "MemAvailable:   12582912 kB, null",
            "12582912 kB, 12884901888",
            "4GiB, null",
            "abc, null",
            "4t, null",
    })
    void readsLikeDockerCompose(String input, Long expected) {
        assertEquals(expected, DockerByteSize.parse(input));
    }
}
