package dev.perfkit.aspect;

import dev.perfkit.internal.JoinPoints;
import dev.perfkit.internal.MethodProbe;
import dev.perfkit.internal.Rethrow;
import java.util.concurrent.CompletionStage;

/**
 * Weaves {@link dev.perfkit.annotation.Timed}: records each call's latency into its method's timer.
 *
 * <p>Design note: one around advice per return kind (void, reference, and each primitive) so that a primitive result
 * is never boxed, and the advice is code-style so that AspectJ inlines it into the woven method with no join point
 * object and no closure: the steady-state cost is one identity lookup of the join point, two clock reads and the
 * record, with no allocation. The caught throwable is rethrown as the same instance. The aspect is thin on purpose:
 * state and logic live in {@link MethodProbe}.
 */
public aspect TimedAspect {

    /**
     * Methods annotated {@code @Timed}, and public methods of a type annotated {@code @Timed}; a method-level annotation
     * wins over a type-level one, and {@code @Profiled} wins over {@code @Timed} at the same level.
     */
    pointcut measured():
            (execution(@dev.perfkit.annotation.Timed * *(..))
                || (execution(public * (@dev.perfkit.annotation.Timed *).*(..))
                    && !execution(@dev.perfkit.annotation.Timed * *(..))
                    && !within(@dev.perfkit.annotation.Profiled *)))
            && !execution(@dev.perfkit.annotation.Profiled * *(..))
            && !within(dev.perfkit.aspect..*) && !within(dev.perfkit.internal..*);

    void around(): measured() && execution(void *(..)) {
        MethodProbe probe = JoinPoints.timed(thisJoinPointStaticPart);
        if (probe == null) {
            proceed();
            return;
        }
        long startNanos = probe.start();
        try {
            proceed();
        } catch (Throwable failure) {
            probe.failure(startNanos, failure);
            throw Rethrow.unchecked(failure);
        }
        probe.success(startNanos);
    }

    Object around(): measured() && execution(* *(..)) && !execution(void *(..)) && !execution(int *(..)) && !execution(long *(..))
            && !execution(double *(..)) && !execution(boolean *(..)) && !execution(float *(..))
            && !execution(short *(..)) && !execution(byte *(..)) && !execution(char *(..)) {
        MethodProbe probe = JoinPoints.timed(thisJoinPointStaticPart);
        if (probe == null) {
            return proceed();
        }
        long startNanos = probe.start();
        Object result;
        try {
            result = proceed();
        } catch (Throwable failure) {
            probe.failure(startNanos, failure);
            throw Rethrow.unchecked(failure);
        }
        if (result instanceof CompletionStage) {
            probe.completion(startNanos, (CompletionStage<?>) result);
        } else {
            probe.success(startNanos);
        }
        return result;
    }

    int around(): measured() && execution(int *(..)) {
        MethodProbe probe = JoinPoints.timed(thisJoinPointStaticPart);
        if (probe == null) {
            return proceed();
        }
        long startNanos = probe.start();
        int result;
        try {
            result = proceed();
        } catch (Throwable failure) {
            probe.failure(startNanos, failure);
            throw Rethrow.unchecked(failure);
        }
        probe.success(startNanos);
        return result;
    }

    long around(): measured() && execution(long *(..)) {
        MethodProbe probe = JoinPoints.timed(thisJoinPointStaticPart);
        if (probe == null) {
            return proceed();
        }
        long startNanos = probe.start();
        long result;
        try {
            result = proceed();
        } catch (Throwable failure) {
            probe.failure(startNanos, failure);
            throw Rethrow.unchecked(failure);
        }
        probe.success(startNanos);
        return result;
    }

    double around(): measured() && execution(double *(..)) {
        MethodProbe probe = JoinPoints.timed(thisJoinPointStaticPart);
        if (probe == null) {
            return proceed();
        }
        long startNanos = probe.start();
        double result;
        try {
            result = proceed();
        } catch (Throwable failure) {
            probe.failure(startNanos, failure);
            throw Rethrow.unchecked(failure);
        }
        probe.success(startNanos);
        return result;
    }

    boolean around(): measured() && execution(boolean *(..)) {
        MethodProbe probe = JoinPoints.timed(thisJoinPointStaticPart);
        if (probe == null) {
            return proceed();
        }
        long startNanos = probe.start();
        boolean result;
        try {
            result = proceed();
        } catch (Throwable failure) {
            probe.failure(startNanos, failure);
            throw Rethrow.unchecked(failure);
        }
        probe.success(startNanos);
        return result;
    }

    float around(): measured() && execution(float *(..)) {
        MethodProbe probe = JoinPoints.timed(thisJoinPointStaticPart);
        if (probe == null) {
            return proceed();
        }
        long startNanos = probe.start();
        float result;
        try {
            result = proceed();
        } catch (Throwable failure) {
            probe.failure(startNanos, failure);
            throw Rethrow.unchecked(failure);
        }
        probe.success(startNanos);
        return result;
    }

    short around(): measured() && execution(short *(..)) {
        MethodProbe probe = JoinPoints.timed(thisJoinPointStaticPart);
        if (probe == null) {
            return proceed();
        }
        long startNanos = probe.start();
        short result;
        try {
            result = proceed();
        } catch (Throwable failure) {
            probe.failure(startNanos, failure);
            throw Rethrow.unchecked(failure);
        }
        probe.success(startNanos);
        return result;
    }

    byte around(): measured() && execution(byte *(..)) {
        MethodProbe probe = JoinPoints.timed(thisJoinPointStaticPart);
        if (probe == null) {
            return proceed();
        }
        long startNanos = probe.start();
        byte result;
        try {
            result = proceed();
        } catch (Throwable failure) {
            probe.failure(startNanos, failure);
            throw Rethrow.unchecked(failure);
        }
        probe.success(startNanos);
        return result;
    }

    char around(): measured() && execution(char *(..)) {
        MethodProbe probe = JoinPoints.timed(thisJoinPointStaticPart);
        if (probe == null) {
            return proceed();
        }
        long startNanos = probe.start();
        char result;
        try {
            result = proceed();
        } catch (Throwable failure) {
            probe.failure(startNanos, failure);
            throw Rethrow.unchecked(failure);
        }
        probe.success(startNanos);
        return result;
    }
}
