package io.headroom.it;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;


/** Evaluates {@link Needs}: disabled with the reason when something is missing, except under CI. */
public final class NeedsCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Needs needs = context.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, Needs.class)).orElse(null);
        if (needs == null) {
            return ConditionEvaluationResult.enabled("needs nothing");
        }
        for (Need n : needs.value()) {
            String why = n.unavailableReason();
            if (why != null) {
                if (Need.ci()) {
                    return ConditionEvaluationResult.enabled("CI=true: runs and fails without " + n + ": " + why);
                }
                System.err.println("SKIPPED " + n.label() + " test " + context.getDisplayName() + ": " + why);
                return ConditionEvaluationResult.disabled(why);
            }
        }
        return ConditionEvaluationResult.enabled("everything needed is there");
    }
}
