package io.headroom.ssh;

import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Factory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * sshj configurations restricted to the algorithms OpenSSH would use for a target ({@link SshAlgorithms}), in
 * its order. One configuration per distinct set of lists, shared by every client that has it: building one runs
 * {@code DefaultConfig}'s constructor (~150 algorithm factories, each checked against the JCE), and clients only
 * read it (decision 0038). A fleet normally has one set, the OpenSSH defaults.
 */
final class SshjConfigs {
    /** sshj's pseudo key exchange that asks the server for server-sig-algs (RFC 8308); OpenSSH's client sends it too. */
    static final String EXT_INFO = "ext-info-c";

    private static final Map<SshAlgorithms, Config> CONFIGS = new ConcurrentHashMap<>();

    private SshjConfigs() {
    }

    /**
     * @throws SshException (CONFIG) when a list has no algorithm sshj implements, naming the option to change
     */
    static Config of(SshAlgorithms a) throws SshException {
        Config c = CONFIGS.get(a);
        if (c != null) {
            return c;
        }
        DefaultConfig d = new DefaultConfig();
        List<Factory.Named<net.schmizz.sshj.transport.kex.KeyExchange>> kex = pick(d.getKeyExchangeFactories(), a.kex(), "KexAlgorithms");
        d.getKeyExchangeFactories().stream().filter(f -> f.getName().equals(EXT_INFO)).forEach(kex::add);
        d.setKeyExchangeFactories(kex);
        d.setCipherFactories(pick(d.getCipherFactories(), a.ciphers(), "Ciphers"));
        d.setMACFactories(pick(d.getMACFactories(), a.macs(), "MACs"));
        d.setKeyAlgorithms(pick(d.getKeyAlgorithms(), a.hostKeys(), "HostKeyAlgorithms"));
        Config raced = CONFIGS.putIfAbsent(a, d);
        return raced != null ? raced : d;
    }

    /** The factories of {@code available} named in {@code wanted}, in the order of {@code wanted}. */
    static <T extends Factory.Named<?>> List<T> pick(List<T> available, List<String> wanted, String option) throws SshException {
        List<T> out = new ArrayList<>();
        for (String name : wanted) {
            for (T f : available) {
                if (f.getName().equals(name)) {
                    out.add(f);
                }
            }
        }
        if (out.isEmpty()) {
            throw new SshException(SshException.Kind.CONFIG, "none of the " + option + " that ssh -G gives (" + String.join(",", wanted)
                    + ") is one Headroom's SSH library implements (" + String.join(",", names(available)) + ")");
        }
        return out;
    }

    static List<String> names(List<? extends Factory.Named<?>> factories) {
        return factories.stream().map(Factory.Named::getName).toList();
    }
}
