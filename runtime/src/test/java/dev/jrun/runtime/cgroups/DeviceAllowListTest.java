package dev.jrun.runtime.cgroups;

import static dev.jrun.runtime.cgroups.CgroupTestSupport.current;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.res;
import static dev.jrun.runtime.cgroups.CgroupTestSupport.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.runtime.cgroups.DeviceAllowList.Emulator;
import dev.jrun.runtime.cgroups.DeviceAllowList.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceAllowListTest {

    private static List<String> strings(List<Rule> rules) {
        List<String> out = new ArrayList<>();
        for (Rule r : rules) {
            out.add(r.toString());
        }
        return out;
    }

    @Test
    void configRulesAreParsedLikeRuncsSpecconv() throws Exception {
        List<Rule> rules = DeviceAllowList.fromConfig(res("{'devices':[{'allow':false,'access':'rwm'},"
                + "{'allow':true,'type':'c','major':10,'minor':229,'access':'rw'},"
                + "{'allow':true,'type':'b','major':8,'access':'mr'}]}").devices());
        assertEquals(List.of("deny a *:* rwm", "allow c 10:229 rw", "allow b 8:* rm"), strings(rules));
    }

    @Test
    void anAInTheAccessAddsNothingAsInRunc() throws Exception {
        List<Rule> rules = DeviceAllowList.fromConfig(res("{'devices':[{'allow':false,'access':'rwa'},"
                + "{'allow':true,'type':'c','major':10,'minor':229,'access':'arw'},"
                + "{'allow':true,'type':'c','major':1,'minor':3,'access':'mwra'},"
                + "{'allow':true,'type':'c','major':1,'minor':5,'access':'a'},"
                + "{'allow':false,'type':'c','major':1,'minor':3,'access':'a'}]}").devices());
        assertEquals(List.of("deny a *:* rw", "allow c 10:229 rw", "allow c 1:3 rwm", "allow c 1:5 ", "deny c 1:3 "),
                strings(rules));
        assertEquals(List.of("allow c 1:3 rwm", "allow c 10:229 rw"), strings(Emulator.of(rules).rules()),
                "a rule of only \"a\" neither allows nor denies");
    }

    @Test
    void defaultsAreRuncsAllowedDevicesAfterTheConfigsRules() throws Exception {
        List<Rule> rules = DeviceAllowList.forContainer(res("{'devices':[{'allow':false,'access':'rwm'}]}").devices());
        assertEquals(List.of("deny a *:* rwm", "allow c *:* m", "allow b *:* m", "allow c 1:3 rwm", "allow c 1:8 rwm",
                "allow c 1:7 rwm", "allow c 5:0 rwm", "allow c 1:5 rwm", "allow c 1:9 rwm", "allow c 136:* rwm",
                "allow c 5:2 rwm", "allow c 10:200 rwm"), strings(rules));
    }

    @Test
    void aWildcardRuleResetsTheState() throws Exception {
        Emulator e = Emulator.of(List.of(Rule.allow('c', 1, 3, "rw"), Rule.allow('a', -1, -1, "rwm")));
        assertTrue(e.defaultAllow());
        assertTrue(e.exceptions().isEmpty());
        e.apply(Rule.deny('a', 5, 5, "r")); // type a ignores numbers and access
        assertFalse(e.defaultAllow());
        assertTrue(e.exceptions().isEmpty());
    }

    @Test
    void permissionsOfTheSameDeviceMerge() throws Exception {
        Emulator e = Emulator.of(List.of(Rule.allow('c', 1, 3, "r"), Rule.allow('c', 1, 3, "m"), Rule.allow('c', 1, 3, "w")));
        assertEquals(List.of("allow c 1:3 rwm"), strings(e.rules()));
        e.apply(Rule.deny('c', 1, 3, "w"));
        assertEquals(List.of("allow c 1:3 rm"), strings(e.rules()));
        e.apply(Rule.deny('c', 1, 3, "rm"));
        assertEquals(List.of(), strings(e.rules()));
    }

    @Test
    void denyingPartOfAWildcardAllowIsRefused() throws Exception {
        Emulator e = Emulator.of(List.of(Rule.allow('c', -1, -1, "rwm")));
        CgroupException ex = assertThrows(CgroupException.class, () -> e.apply(Rule.deny('c', 1, 3, "w")));
        assertTrue(ex.getMessage().contains("punch a hole in the wildcard rule \"allow c *:* rwm\""), ex.getMessage());
        // removing an access the wildcard does not grant is fine
        Emulator m = Emulator.of(List.of(Rule.allow('c', -1, -1, "m")));
        m.apply(Rule.deny('c', 1, 3, "rw"));
        assertEquals(List.of("allow c *:* m"), strings(m.rules()));
    }

    @Test
    void rulesOfABlacklistStartWithAnAllowAllReset() throws Exception {
        Emulator e = Emulator.of(List.of(Rule.allow('a', -1, -1, "rwm"), Rule.deny('c', 10, 229, "rwm"),
                Rule.deny('b', -1, -1, "w")));
        assertEquals(List.of("allow a *:* rwm", "deny b *:* w", "deny c 10:229 rwm"), strings(e.rules()));
    }

    @Test
    void devicesListIsParsed() throws Exception {
        Emulator e = Emulator.fromList("c 1:3 rwm\nc 136:* rwm\nb *:* m\n");
        assertFalse(e.defaultAllow());
        assertEquals(List.of("allow b *:* m", "allow c 1:3 rwm", "allow c 136:* rwm"), strings(e.rules()));
        assertTrue(Emulator.fromList("a *:* rwm\n").defaultAllow());
        assertThrows(CgroupException.class, () -> Emulator.fromList("x 1:3 rwm"));
        assertThrows(CgroupException.class, () -> Emulator.fromList("c 1:3"));
    }

    @Test
    void transitionWritesOnlyTheDifference() throws Exception {
        Emulator now = Emulator.fromList("c 1:3 rwm\nc 1:5 rwm\nc 10:229 rw\n");
        Emulator target = Emulator.of(List.of(Rule.deny('a', -1, -1, "rwm"), Rule.allow('c', 1, 3, "rwm"),
                Rule.allow('c', 1, 5, "r"), Rule.allow('c', 4, 1, "rw")));
        assertEquals(List.of("deny c 1:5 wm", "deny c 10:229 rw", "allow c 4:1 rw"), strings(now.transition(target)));
        assertEquals(List.of(), strings(target.transition(target)));
    }

    @Test
    void fromABlacklistEveryTransitionStartsWithAReset() throws Exception {
        Emulator target = Emulator.of(List.of(Rule.deny('a', -1, -1, "rwm"), Rule.allow('c', 1, 3, "rwm")));
        assertEquals(List.of("deny a *:* rwm", "allow c 1:3 rwm"), strings(Emulator.allowAll().transition(target)));
        Emulator allowAll = Emulator.of(List.of(Rule.allow('a', -1, -1, "rwm")));
        assertEquals(List.of("allow a *:* rwm"), strings(Emulator.allowAll().transition(allowAll)));
    }

    // ------------------------------------------------------------------ as V1Resources writes them

    @Test
    void v1PlanOfAnAllowAllConfig() throws Exception {
        List<String> devices = show(V1Resources.plan(res("{'devices':[{'allow':true,'access':'rwm'}]}")));
        assertEquals(List.of("devices/devices.allow=a *:* rwm"), devices);
    }

    @Test
    void v1PlanOfAnAllowAllConfigWithADeny() throws Exception {
        List<String> devices = show(V1Resources.plan(res("{'devices':[{'allow':true,'access':'rwm'},"
                + "{'allow':false,'type':'c','major':10,'minor':229,'access':'rwm'}]}")));
        assertEquals(List.of("devices/devices.allow=a *:* rwm", "devices/devices.deny=c 10:229 rwm"), devices);
    }

    @Test
    void v1UpdateWithTheSameRulesWritesNothing() throws Exception {
        String json = "{'devices':[{'allow':false,'access':'rwm'},{'allow':true,'type':'c','major':10,'minor':229,'access':'rwm'}]}";
        StringBuilder list = new StringBuilder();
        for (Rule r : Emulator.of(DeviceAllowList.forContainer(res(json).devices())).rules()) {
            list.append(r.cgroupString()).append('\n');
        }
        var cur = current(Map.of("devices/devices.list", list.toString()), List.of());
        assertEquals(List.of(), show(V1Resources.plan(res(json), cur)));
        // dropping the fuse rule removes exactly that one exception
        assertEquals(List.of("devices/devices.deny=c 10:229 rwm"),
                show(V1Resources.plan(res("{'devices':[{'allow':false,'access':'rwm'}]}"), cur)));
    }
}
