package io.headroom.compose;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The compose package is pure: text in, text out; it depends on the model only (and YAML, the JDK). */
class ComposePurityTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.headroom.compose");

    @Test
    void dependsOnTheModelYamlAndTheJdkOnly() {
        classes().that().resideInAPackage("io.headroom.compose..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.headroom.compose..", "io.headroom.model..",
                        "org.yaml.snakeyaml..", "com.fasterxml.jackson..", "java.lang..", "java.util..", "java.math..",
                        "java.io..", "java.text..")
                .check(CLASSES);
    }

    @Test
    void doesNoIo() {
        noClasses().that().resideInAPackage("io.headroom.compose..")
                .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..", "javafx..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
                .orShould().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .check(CLASSES);
    }
}
