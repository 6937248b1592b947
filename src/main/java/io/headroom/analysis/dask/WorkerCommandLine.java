package io.headroom.analysis.dask;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recognises a Dask worker launcher command line and reads the options that shape the memory
 * budget, the way click parses them for {@code distributed/cli/dask_worker.py}
 * ({@code --opt value} or {@code --opt=value}; the last occurrence wins).
 *
 * <p>Recognised forms: {@code dask-worker …}, {@code dask worker …},
 * {@code python [flags] /path/dask-worker …}, {@code python [flags] /path/dask worker …},
 * {@code python [flags] -m distributed.cli.dask_worker …}. Worker processes are the launcher's
 * multiprocessing children ({@code spawn_main} / {@code forkserver}) or processes titled by
 * setproctitle ({@code dask worker [tcp://…]}, distributed/worker.py).
 *
 * @param args         the arguments after the program (and subcommand)
 * @param nthreads     {@code --nthreads}, 0 when absent (click default)
 * @param nworkersText {@code --nworkers} (or the deprecated {@code --nprocs}) as given, or null
 * @param memoryLimit  {@code --memory-limit} as given, {@code auto} by default
 * @param nanny        false with {@code --no-nanny}
 * @param error        why Dask would refuse these options at start-up (click or dask_worker.py), or null
 */
public record WorkerCommandLine(List<String> args, int nthreads, String nworkersText, String memoryLimit, boolean nanny,
                                String error) {

    /** Parses argv when it is a Dask worker launcher. */
    public static Optional<WorkerCommandLine> parse(List<String> argv) {
        List<String> args = launcherArgs(argv);
        if (args == null) {
            return Optional.empty();
        }
        int nthreads = 0;
        String nworkers = null;
        String memory = "auto";
        boolean nanny = true;
        String error = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "--nthreads" -> {
                    // click.INT: int(value), a click usage error otherwise
                    String v = value != null ? value : next(args, i++);
                    Integer n = v == null ? null : parseInt(v);
                    if (n == null) {
                        error = "--nthreads " + v + " is not an integer (click refuses it)";
                    }
                    nthreads = n == null ? 0 : n;
                }
                case "--nworkers" -> nworkers = value != null ? value : next(args, i++);
                case "--nprocs" -> {
                    // removed before 2022.12.1 (click: "No such option: --nprocs")
                    error = "--nprocs is no longer an option of dask worker (use --nworkers)";
                    i += value != null ? 0 : 1;
                }
                case "--memory-limit" -> {
                    String v = value != null ? value : next(args, i++);
                    if (v != null) {
                        memory = v;
                    }
                }
                case "--nanny" -> nanny = true;
                case "--no-nanny" -> nanny = false;
                default -> {
                }
            }
        }
        if (error == null && nworkers != null && !nworkers.equals("auto") && parseInt(nworkers) == null) {
            // dask_worker.py: n_workers = int(n_workers) raises ValueError
            error = "--nworkers " + nworkers + " is not an integer or 'auto' (Dask exits with ValueError)";
        }
        return Optional.of(new WorkerCommandLine(List.copyOf(args), nthreads, nworkers, memory, nanny, error));
    }

    /**
     * n_workers as dask_worker.py computes it: {@code auto} → nprocesses_nthreads(CPU_COUNT),
     * absent → 1, negative → CPU_COUNT + 1 + n. Returns {nworkers, nthreads-before-defaulting}.
     */
    public int[] workersAndThreads(int cpuCount) {
        int[] requested = requestedWorkersAndThreads(cpuCount);
        int n = requested[0];
        int threads = requested[1];
        if (refusalOfWorkers(n) != null) {
            n = 0;
        }
        // if not nthreads: nthreads = CPU_COUNT // n_workers   (dask_worker.py)
        if (threads == 0 && n > 0) {
            threads = cpuCount / n;
        }
        return new int[] {n, threads};
    }

    /** Dask's n_workers before its checks: {@code auto}, absent → 1, negative → CPU_COUNT + 1 + n. */
    private int[] requestedWorkersAndThreads(int cpuCount) {
        int threads = nthreads;
        int n;
        if ("auto".equals(nworkersText)) {
            int[] pt = nprocessesNthreads(cpuCount);
            n = pt[0];
            threads = pt[1];
        } else if (nworkersText == null) {
            n = 1;
        } else {
            Integer parsed = parseInt(nworkersText);
            n = parsed == null ? 1 : parsed;
        }
        if (n < 0) {
            n = cpuCount + 1 + n;
        }
        return new int[] {n, threads};
    }

    /**
     * Why {@code dask worker} exits at start-up with these options, in Dask's own words, or null when
     * it starts: the option error (click, {@code int(n_workers)}), else the n_workers checks of
     * distributed/cli/dask_worker.py (lines 294-304 at 2026.7.1, 297-307 at 2022.12.1, 298-306 at
     * 2024.12.1), each a {@code logger.error} and {@code sys.exit(1)}.
     *
     * @param cpuCount Dask's CPU_COUNT in the container (a negative {@code --nworkers} counts from it)
     */
    public String refusal(int cpuCount) {
        return error != null ? error : refusalOfWorkers(requestedWorkersAndThreads(cpuCount)[0]);
    }

    private String refusalOfWorkers(int nworkers) {
        if (nworkers <= 0) {
            return "Failed to launch worker. Must specify --nworkers so that there's at least one process.";
        }
        if (nworkers > 1 && !nanny) {
            return "Failed to launch worker.  You cannot use the --no-nanny argument when n_workers > 1.";
        }
        return null;
    }

    /** distributed/deploy/utils.py nprocesses_nthreads(n). */
    static int[] nprocessesNthreads(int n) {
        int processes;
        if (n <= 4) {
            processes = n;
        } else {
            processes = n;
            for (int f = 1; f <= n; f++) {
                if (n % f == 0 && f >= Math.sqrt(n)) {
                    processes = f;
                    break;
                }
            }
        }
        return new int[] {processes, processes == 0 ? 0 : n / processes};
    }

    /** True for a process titled by Dask's setproctitle as a worker: {@code dask worker [...]}. */
    public static boolean isWorkerTitle(List<String> argv) {
        return !argv.isEmpty() && (argv.get(0).startsWith("dask worker [") || argv.get(0).startsWith("dask-worker ["));
    }

    /** True for a multiprocessing child ({@code spawn_main} or forkserver). */
    public static boolean isMultiprocessingChild(List<String> argv) {
        return argv.stream().anyMatch(a -> a.contains("spawn_main") || a.contains("forkserver")
                || a.equals("--multiprocessing-fork"));
    }

    private static List<String> launcherArgs(List<String> argv) {
        if (argv.isEmpty()) {
            return null;
        }
        String prog = basename(argv.get(0));
        if (prog.equals("dask-worker")) {
            return argv.subList(1, argv.size());
        }
        if (prog.equals("dask") && argv.size() > 1 && argv.get(1).equals("worker")) {
            return argv.subList(2, argv.size());
        }
        if (!prog.startsWith("python")) {
            return null;
        }
        int i = 1;
        while (i < argv.size() && argv.get(i).startsWith("-") && !argv.get(i).equals("-m")) {
            String flag = argv.get(i);
            i += (flag.equals("-X") || flag.equals("-W")) ? 2 : 1;
        }
        if (i >= argv.size()) {
            return null;
        }
        if (argv.get(i).equals("-m") && i + 1 < argv.size()) {
            String module = argv.get(i + 1);
            if (module.equals("distributed.cli.dask_worker")) {
                return argv.subList(i + 2, argv.size());
            }
            if (module.equals("dask") && i + 2 < argv.size() && argv.get(i + 2).equals("worker")) {
                return argv.subList(i + 3, argv.size());
            }
            return null;
        }
        String script = basename(argv.get(i));
        if (script.equals("dask-worker")) {
            return argv.subList(i + 1, argv.size());
        }
        if (script.equals("dask") && i + 1 < argv.size() && argv.get(i + 1).equals("worker")) {
            return argv.subList(i + 2, argv.size());
        }
        return null;
    }

    /**
     * Finds a launcher inside a container command such as {@code ["sh", "-c", "exec dask-worker …"]}:
     * the shell script is split into words (quotes respected) and cut at {@code && || ; |}.
     */
    public static Optional<WorkerCommandLine> fromContainerCommand(List<String> command) {
        Optional<WorkerCommandLine> direct = parse(command);
        if (direct.isPresent()) {
            return direct;
        }
        if (command.size() >= 3 && basename(command.get(0)).matches("(ba|da)?sh") && command.get(1).equals("-c")) {
            List<String> words = shellWords(command.get(2));
            List<String> current = new ArrayList<>();
            for (String w : words) {
                if (w.equals("&&") || w.equals("||") || w.equals(";") || w.equals("|")) {
                    Optional<WorkerCommandLine> found = parseSkippingExec(current);
                    if (found.isPresent()) {
                        return found;
                    }
                    current = new ArrayList<>();
                } else {
                    current.add(w);
                }
            }
            return parseSkippingExec(current);
        }
        return Optional.empty();
    }

    private static Optional<WorkerCommandLine> parseSkippingExec(List<String> words) {
        int start = 0;
        while (start < words.size() && (words.get(start).equals("exec") || words.get(start).contains("=") && !words.get(start).startsWith("-"))) {
            start++;
        }
        return parse(words.subList(start, words.size()));
    }

    static List<String> shellWords(String script) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < script.length()) {
                    w.append(script.charAt(++i));
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < script.length()) {
                w.append(script.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c) || c == ';') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
                if (c == ';') {
                    words.add(";");
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    private static String next(List<String> args, int i) {
        return i + 1 < args.size() ? args.get(i + 1) : null;
    }

    private static Integer parseInt(String s) {
        BigIntegerHolder h = new BigIntegerHolder(PythonNumbers.pyInt(s));
        return h.fitsInt() ? h.value.intValue() : null;
    }

    private record BigIntegerHolder(java.math.BigInteger value) {
        boolean fitsInt() {
            return value != null && value.bitLength() < 31;
        }
    }

    static String basename(String path) {
        int slash = path.lastIndexOf('/');
        return slash >= 0 ? path.substring(slash + 1) : path;
    }
}
