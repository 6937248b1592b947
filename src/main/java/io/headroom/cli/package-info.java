/** The command-line interface: the only package that writes to standard output and error. */
package io.headroom.cli;
