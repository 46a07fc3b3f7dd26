package dev.jrun.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OciVersionTest {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(nullValues = "NULL", value = {
        "1.0.0, true",
        "1.0.1, true",
        "1.0.2, true",
        "1.0.2-dev, true",
        "1.0.0-rc5, true",
        "1.0.0-rc2-dev, true",
        "1.1.0, true",
        "1.1.0-rc.1, true",
        "1.2.0, true",
        "1.2.1, true",
        "1.3.0, true",
        "1.3.7, true",
        "1.3.0+build.5, true",
        "1.3.0-rc.1+exp.sha.5114f85, true",
        "1.4.0, false",
        "1.10.0, false",
        "2.0.0, false",
        "0.1.0, false",
        "0.2.0, false",
        "1.0, false",
        "1, false",
        "1.0.0.0, false",
        "v1.0.0, false",
        "01.0.0, false",
        "1.00.0, false",
        "1.0.0-, false",
        "1.0.0-rc..1, false",
        "1.0.0-rc_1, false",
        "1.0.0+, false",
        "' 1.0.0', false",
        "garbage, false",
        "'', false",
        "NULL, false",
    })
    void acceptsOneZeroToOneThree(String version, boolean accepted) {
        assertEquals(accepted, OciVersion.isSupported(version));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(nullValues = "NULL", value = {
        "NULL | must be set (this runtime supports 1.0.0 to 1.3.x)",
        "2.0.0 | unsupported version \"2.0.0\" (this runtime supports 1.0.0 to 1.3.x)",
        "1.4.0 | unsupported version \"1.4.0\" (this runtime supports 1.0.0 to 1.3.x)",
        "0.2.0 | unsupported version \"0.2.0\" (this runtime supports 1.0.0 to 1.3.x)",
        "latest | \"latest\" is not a valid SemVer version, e.g. 1.3.0",
    }, delimiter = '|')
    void explainsRefusals(String version, String message) {
        assertEquals(message, OciVersion.problem(version));
    }
}
