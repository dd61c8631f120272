package dev.pmemfs.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoisonEventTest {
    private static long count(List<PoisonEvent> plan, PoisonEvent.Kind k) {
        return plan.stream().filter(e -> e.kind() == k).count();
    }

    @Test
    void plan_24events_mixInDocumentedProportions() {
        List<PoisonEvent> plan = PoisonEvent.plan(24, 1);
        assertEquals(24, plan.size());
        assertEquals(2, count(plan, PoisonEvent.Kind.METADATA));
        assertEquals(5, count(plan, PoisonEvent.Kind.FREE));
        assertEquals(6, count(plan, PoisonEvent.Kind.FILE_CLUSTER));
        assertEquals(11, count(plan, PoisonEvent.Kind.FILE_SECTOR));
        assertEquals(6, plan.stream().filter(e -> !e.known()).count(), "a quarter latent");
        for (int i = 0; i < plan.size(); i++) {
            PoisonEvent e = plan.get(i);
            assertEquals(i + 1, e.index());
            assertTrue(e.sector() >= 0 && e.sector() < 8, e.toString());
            if (e.kind() == PoisonEvent.Kind.FILE_CLUSTER) {
                assertTrue(e.blocks() >= 2 && e.blocks() <= 16, e.toString());
            } else {
                assertEquals(1, e.blocks(), e.toString());
            }
        }
    }

    @Test
    void plan_sameSeed_samePlan_otherSeed_otherOrder() {
        assertEquals(PoisonEvent.plan(40, 7), PoisonEvent.plan(40, 7));
        assertNotEquals(PoisonEvent.plan(40, 7), PoisonEvent.plan(40, 8));
    }

    @Test
    void plan_fewEvents_metadataOnlyFromEight() {
        assertEquals(0, count(PoisonEvent.plan(4, 1), PoisonEvent.Kind.METADATA));
        assertEquals(1, count(PoisonEvent.plan(8, 1), PoisonEvent.Kind.METADATA));
        assertEquals(List.of(), PoisonEvent.plan(0, 1));
    }
}
