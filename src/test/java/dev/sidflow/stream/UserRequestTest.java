package dev.sidflow.stream;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import static org.assertj.core.api.Assertions.assertThat;

class UserRequestTest {
    @Test
    void theCopyConstructorCarriesEveryField() throws Exception {
        UserRequest r = new UserRequest("k", "u", "i", new String[] {"a", "b"}, 5, 6);
        r.query = new RequestQuery();
        r.raw = new byte[] {1};
        r.sourceTopic = "ev";
        r.sourcePartition = 2;
        r.sourceOffset = 7;
        r.proposedSids = new String[] {"x"};
        r.malformedSids = 3;
        UserRequest copy = new UserRequest(r);
        // every public field, so a field added later cannot be dropped by a stage that copies requests
        for (Field f : UserRequest.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            assertThat(f.get(copy)).as(f.getName()).isEqualTo(f.get(r));
            assertThat(f.get(r)).as(f.getName() + " is set in this test").isNotNull();
        }
    }
}
