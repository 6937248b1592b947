package io.headroom.cli;

import io.headroom.engine.HeadroomVersion;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.Locale;
import java.util.Map;

/**
 * headroom(1) in roff (man(7) macros) from the command tree: the build writes it to
 * {@code target/man/headroom.1} and the .deb and .rpm install it, so {@code man headroom} says
 * what {@code --help} says.
 */
final class ManPage {
    private ManPage() {
    }

    static String render(CommandSpec root) {
        StringBuilder b = new StringBuilder();
        String name = root.name();
        b.append(".TH ").append(name.toUpperCase(Locale.ROOT)).append(" 1 \"\" \"").append(name).append(' ')
                .append(escape(HeadroomVersion.get())).append("\" \"User Commands\"\n");
        b.append(".SH NAME\n").append(name).append(" \\- ").append(escape(text(root.usageMessage().header()))).append('\n');
        b.append(".SH SYNOPSIS\n.B ").append(name).append("\n[\\fB\\-\\-version\\fR | \\fB\\-\\-help\\fR]\n.br\n");
        for (Map.Entry<String, picocli.CommandLine> e : visible(root)) {
            b.append(".B ").append(name).append(' ').append(e.getKey()).append("\n").append(synopsisTail(e.getValue().getCommandSpec()))
                    .append(".br\n");
        }
        b.append(".SH DESCRIPTION\n");
        for (String d : root.usageMessage().description()) {
            b.append(".PP\n").append(escape(format(d))).append('\n');
        }
        b.append(".SH COMMANDS\n");
        for (Map.Entry<String, picocli.CommandLine> e : visible(root)) {
            CommandSpec sub = e.getValue().getCommandSpec();
            b.append(".SS \"").append(name).append(' ').append(e.getKey()).append("\"\n");
            b.append(escape(text(sub.usageMessage().header()))).append('\n');
            for (String d : sub.usageMessage().description()) {
                b.append(".PP\n").append(escape(format(d))).append('\n');
            }
            for (PositionalParamSpec p : sub.positionalParameters()) {
                b.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n").append(escape(String.join(" ", p.description()))).append('\n');
            }
            for (OptionSpec o : sub.options()) {
                if (o.hidden() || o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                // an option's description comes already formatted (picocli 4.7), a command's does not
                b.append(".TP\n").append(optionTerm(o)).append('\n').append(escape(String.join(" ", o.description()))).append('\n');
            }
        }
        b.append(".SH EXIT STATUS\n");
        for (String f : root.usageMessage().footer()) {
            b.append(".PP\n").append(escape(format(f))).append('\n');
        }
        b.append(".SH FILES\n.TP\n~/.config/headroom/clusters.yaml\nThe clusters (inventory); $XDG_CONFIG_HOME/headroom when set.\n")
                .append(".TP\n~/.config/headroom/settings.yaml\nThe settings (read-only mode).\n")
                .append(".TP\n~/.local/state/headroom/audit.jsonl\nEvery push and rollback, one JSON line each; $XDG_STATE_HOME/headroom when set.\n")
                .append(".SH ENVIRONMENT\n.TP\nHEADROOM_READ_ONLY=1\nRead-only mode for this process.\n")
                .append(".SH SEE ALSO\n.BR ssh (1),\n.BR ssh_config (5),\n.BR docker-compose (1)\n");
        return b.toString();
    }

    private static Iterable<Map.Entry<String, picocli.CommandLine>> visible(CommandSpec root) {
        return root.subcommands().entrySet().stream().filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden()
                && !e.getKey().equals("help")).toList();
    }

    private static String synopsisTail(CommandSpec sub) {
        StringBuilder b = new StringBuilder();
        if (!sub.options().isEmpty()) {
            b.append("[\\fIOPTIONS\\fR]");
        }
        for (PositionalParamSpec p : sub.positionalParameters()) {
            boolean optional = p.arity().min() == 0;
            boolean many = p.arity().max() > 1;
            b.append(' ').append(optional ? "[" : "").append("\\fI").append(escape(p.paramLabel())).append("\\fR")
                    .append(many ? "..." : "").append(optional ? "]" : "");
        }
        return b.append('\n').toString();
    }

    private static String optionTerm(OptionSpec o) {
        StringBuilder b = new StringBuilder();
        for (String n : o.names()) {
            if (!b.isEmpty()) {
                b.append(", ");
            }
            b.append("\\fB").append(escape(n)).append("\\fR");
        }
        if (o.arity().max() > 0) {
            b.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
        }
        return b.toString();
    }

    private static String text(String[] lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(b.isEmpty() ? "" : " ").append(format(l));
        }
        return b.toString();
    }

    /** picocli's description strings are format strings ({@code %%}, {@code %n}). */
    private static String format(String s) {
        return String.format(Locale.ROOT, s).replace(System.lineSeparator(), " ");
    }

    /** Text safe in roff: backslashes and hyphens escaped, no line starting with a control character. */
    static String escape(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }
}
