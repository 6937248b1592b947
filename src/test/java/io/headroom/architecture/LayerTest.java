package io.headroom.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/** The layers of the package list, enforced: model ← probe ← ssh / analysis ← engine ← cli/ui. */
class LayerTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.headroom");
    }

    @Test
    void layersOnlyDependDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Model").definedBy("io.headroom.model..")
                .layer("Probe").definedBy("io.headroom.probe..")
                .layer("Analysis").definedBy("io.headroom.analysis..")
                .layer("Ssh").definedBy("io.headroom.ssh..")
                .layer("Compose").definedBy("io.headroom.compose..")
                .layer("Engine").definedBy("io.headroom.engine..")
                .layer("Cli").definedBy("io.headroom.cli..")
                .layer("Ui").definedBy("io.headroom.ui..")
                .layer("Launcher").definedBy("io.headroom")
                .whereLayer("Launcher").mayNotBeAccessedByAnyLayer()
                .whereLayer("Ui").mayOnlyBeAccessedByLayers("Launcher")
                .whereLayer("Cli").mayOnlyBeAccessedByLayers("Launcher")
                .whereLayer("Engine").mayOnlyBeAccessedByLayers("Cli", "Ui", "Launcher")
                .whereLayer("Analysis").mayOnlyBeAccessedByLayers("Engine", "Cli", "Ui")
                .whereLayer("Ssh").mayOnlyBeAccessedByLayers("Engine", "Cli", "Ui")
                .whereLayer("Compose").mayOnlyBeAccessedByLayers("Engine", "Cli", "Ui")
                .whereLayer("Probe").mayOnlyBeAccessedByLayers("Engine", "Ssh")
                .check(classes);
    }

    @Test
    void analysisDoesNotReadRemoteOutput() {
        noClasses().that().resideInAPackage("io.headroom.analysis..")
                .should().dependOnClassesThat().resideInAPackage("io.headroom.probe..")
                .check(classes);
    }

    @Test
    void modelIsPure() {
        noClasses().that().resideInAPackage("io.headroom.model..")
                .should().dependOnClassesThat().resideInAnyPackage("io.headroom.probe..", "io.headroom.analysis..",
                        "io.headroom.engine..", "io.headroom.cli..", "io.headroom.ui..", "javafx..",
                        "com.fasterxml..", "net.schmizz..", "oshi..", "java.io..", "java.nio.file..", "java.net..")
                .check(classes);
    }

    @Test
    void parsersDoNoIo() {
        noClasses().that().resideInAPackage("io.headroom.probe.parse..")
                .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .check(classes);
    }

    @Test
    void noJavaFxOutsideTheUi() {
        noClasses().that().resideOutsideOfPackage("io.headroom.ui..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .check(classes);
    }

    @Test
    void noStandardStreamsOutsideTheCli() {
        noClasses().that().resideOutsideOfPackage("io.headroom.cli..")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().accessField(System.class, "in")
                .check(classes);
    }
}
