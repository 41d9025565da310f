package dev.perfkit.aspect;

import dev.perfkit.Perf;
import dev.perfkit.internal.JoinPoints;
import dev.perfkit.internal.MethodProbe;
import dev.perfkit.internal.Rethrow;
import java.util.concurrent.CompletionStage;

/**
 * Weaves {@link dev.perfkit.annotation.Timed} and {@link dev.perfkit.annotation.Profiled}: records each call of a
 * method they reach into its method's timers.
 *
 * <p>Design note: one aspect for both annotations, so that a method both reach (a {@code @Profiled} method in a
 * {@code @Timed} class, an interface and a class disagreeing) gets one advice, one lookup and one timer; which
 * annotation wins is decided once, when the join point is resolved ({@link JoinPoints}). One around advice per
 * return kind (void, reference, and each primitive) so that a primitive result is never boxed, and the advice is
 * code-style so that AspectJ inlines it into the woven method with no join point object and no closure. The
 * steady-state cost of a {@code @Timed} call is one identity lookup of the join point, two clock reads and the record,
 * with no allocation; a {@code @Profiled} call adds its frame on the thread's pooled stack and the thread's CPU time
 * and allocation reads (see {@link MethodProbe}). The caught throwable is rethrown as the same instance. The aspect is
 * thin on purpose: state and logic live in {@link MethodProbe}.
 */
public aspect MeasuredAspect {

    static {
        // Woven code records into the registry the API installs: bind it before the first advice runs.
        Perf.registry();
    }

    /**
     * The join points the rules of {@code Timed}'s javadoc reach: a method carrying {@code @Timed} or
     * {@code @Profiled} (or an annotation meta-annotated with one), and the public methods declared by a type carrying
     * one (matched through every signature of the execution, so an implementation or override of such a method in a
     * subtype is reached too), except {@code toString}, {@code equals} and {@code hashCode}.
     */
    pointcut measured():
            (execution(@(dev.perfkit.annotation.Timed || dev.perfkit.annotation.Profiled) * *(..))
                || execution(@(@(dev.perfkit.annotation.Timed || dev.perfkit.annotation.Profiled) *..*) * *(..))
                || (execution(public * (@(dev.perfkit.annotation.Timed || dev.perfkit.annotation.Profiled) *..*).*(..))
                    && !objectMethod())
                || (execution(public * (@(@(dev.perfkit.annotation.Timed || dev.perfkit.annotation.Profiled) *..*) *..*).*(..))
                    && !objectMethod()))
            && !within(dev.perfkit.aspect..*) && !within(dev.perfkit.internal..*);

    /** Methods a type-level annotation does not reach. */
    pointcut objectMethod():
            execution(String toString()) || execution(boolean equals(Object)) || execution(int hashCode());

    void around(): measured() && execution(void *(..)) {
        MethodProbe probe = JoinPoints.probe(thisJoinPointStaticPart);
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

    Object around(): measured() && execution(* *(..)) && !execution(void *(..)) && !execution(int *(..))
            && !execution(long *(..)) && !execution(double *(..)) && !execution(boolean *(..))
            && !execution(float *(..)) && !execution(short *(..)) && !execution(byte *(..))
            && !execution(char *(..)) {
        MethodProbe probe = JoinPoints.probe(thisJoinPointStaticPart);
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
        MethodProbe probe = JoinPoints.probe(thisJoinPointStaticPart);
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
        MethodProbe probe = JoinPoints.probe(thisJoinPointStaticPart);
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
        MethodProbe probe = JoinPoints.probe(thisJoinPointStaticPart);
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
        MethodProbe probe = JoinPoints.probe(thisJoinPointStaticPart);
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
        MethodProbe probe = JoinPoints.probe(thisJoinPointStaticPart);
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
        MethodProbe probe = JoinPoints.probe(thisJoinPointStaticPart);
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
        MethodProbe probe = JoinPoints.probe(thisJoinPointStaticPart);
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
        MethodProbe probe = JoinPoints.probe(thisJoinPointStaticPart);
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
