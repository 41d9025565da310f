package dev.perfkit.examples.host;

import dev.perfkit.annotation.Timed;

/** Prices items; the method carries its own name and target. */
public class PriceCalculator {

    @Timed(value = "shop.price", target = "50us", tags = "layer=domain")
    public long totalCents(String item, int quantity) {
        long cents = 0;
        for (int i = 0; i < item.length(); i++) {
            cents = cents * 31 + item.charAt(i);
        }
        return Math.floorMod(cents, 10_000) * quantity;
    }
}
