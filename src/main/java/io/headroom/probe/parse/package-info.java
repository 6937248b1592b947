/** Pure parsers of probe sections: text in, records out. No I/O, no clocks. */
package io.headroom.probe.parse;
