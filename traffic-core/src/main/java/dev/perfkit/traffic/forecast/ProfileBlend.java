package dev.perfkit.traffic.forecast;

/**
 * {@code (1 - weight) * smoothing + weight * profile} where the profile has a value, the smoothing forecast elsewhere
 * (so it equals smoothing until the profile takes part). Not thread-safe.
 */
final class ProfileBlend implements SpeedModel {

    private final SmoothingModel smoothing;
    private final TimeOfDayProfile profile;
    private final double weight;

    ProfileBlend(SmoothingModel smoothing, TimeOfDayProfile profile, double weight) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("profile weight must be in [0, 1], got " + weight);
        }
        this.smoothing = smoothing;
        this.profile = profile;
        this.weight = weight;
    }

    @Override
    public String name() {
        return "smoothing+profile";
    }

    @Override
    public int edgeCount() {
        return smoothing.edgeCount();
    }

    @Override
    public void observe(int edge, long epochSecond, double speedKmh) {
        smoothing.observe(edge, epochSecond, speedKmh);
        profile.observe(edge, epochSecond, speedKmh);
    }

    @Override
    public double predict(int edge, long targetEpochSecond) {
        double level = smoothing.predict(edge, targetEpochSecond);
        if (weight == 0 || !smoothing.hasHistory(edge)) {
            return level;
        }
        double typical = profile.predict(edge, targetEpochSecond);
        return Double.isNaN(typical) ? level : (1 - weight) * level + weight * typical;
    }
}
