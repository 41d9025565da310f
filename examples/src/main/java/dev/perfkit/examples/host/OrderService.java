package dev.perfkit.examples.host;

import dev.perfkit.annotation.Profiled;
import dev.perfkit.annotation.Timed;
import java.util.ArrayList;
import java.util.List;

/** A host's own service: plain code with annotations, woven at load time by {@code -javaagent}. */
@Timed("shop.orders")
public class OrderService {

    private final PriceCalculator prices = new PriceCalculator();
    private final List<String> placed = new ArrayList<>();

    /** Timed as {@code shop.orders.place} through the type-level annotation. */
    public long place(String item, int quantity) {
        if (quantity <= 0) {
            throw new IllegalArgumentException("quantity must be positive, was " + quantity);
        }
        placed.add(item);
        return prices.totalCents(item, quantity);
    }

    /** Timed as {@code shop.orders.count}. */
    public int count() {
        return placed.size();
    }

    /** Profiled: latency, CPU time and allocated bytes of building the receipt. */
    @Profiled(value = "shop.receipt", target = "5ms")
    public String receipt() {
        StringBuilder out = new StringBuilder();
        for (String item : placed) {
            out.append(item).append('\n');
        }
        return out.toString();
    }
}
