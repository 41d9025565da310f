/**
 * Data quality: {@link dev.perfkit.traffic.validation.Validator} checks records against
 * {@link dev.perfkit.traffic.validation.ValidationThresholds} and returns a
 * {@link dev.perfkit.traffic.validation.ValidationReport} listing every rejected row with its reasons.
 */
package dev.perfkit.traffic.validation;
