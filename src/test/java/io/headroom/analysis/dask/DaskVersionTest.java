package io.headroom.analysis.dask;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DaskVersionTest {
    @Test
    void calendarVersionsWithDebianSuffixes() {
        assertEquals(DaskVersion.of(2022, 12, 1), strip(DaskVersion.parse("2022.12.1+ds.1")));
        assertEquals(DaskVersion.of(2024, 1, 0), strip(DaskVersion.parse(" 2024.1.0 ")));
        assertEquals(DaskVersion.of(2023, 3, 123456789), strip(DaskVersion.parse("2023.3.123456789")));
    }

    @Test
    void aPatchNumberBeyondAnIntIsNotAVersionNotAnOverflow() {
        // the cmdline fuzz target's finding (crash-0cfacd04…): NumberFormatException escaped parse
        assertNull(DaskVersion.parse("5559.89.005555555555555555555555555555"));
        assertNull(DaskVersion.parse("2022.12.1234567890"));
        assertNull(DaskVersion.parse("not a version"));
        assertNull(DaskVersion.parse(null));
    }

    private static DaskVersion strip(DaskVersion v) {
        return DaskVersion.of(v.year(), v.month(), v.patch());
    }
}
