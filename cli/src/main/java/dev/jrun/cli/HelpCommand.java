package dev.jrun.cli;

import dev.jrun.runtime.container.JrunException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/** `help [command]` (or `h`): jrun's help, or one command's, exactly as -h shows it. */
final class HelpCommand implements Subcommand {
    /**
     * urfave/cli's status for a help topic it does not know, which is also what runc exits with
     * for an unknown command.
     */
    static final int NO_TOPIC = 3;

    @Override
    public String name() {
        return "help";
    }

    static boolean named(String word) {
        return word.equals("help") || word.equals("h");
    }

    @Override
    public CommandSpec spec() {
        CommandSpec spec = Options.command(name(), "Shows a list of commands or help for one command", "[command]", "");
        spec.aliases("h");
        // as urfave/cli, only the first word names the topic; the rest is ignored
        spec.addPositional(PositionalParamSpec.builder().index("0..*").paramLabel("command").type(String[].class)
                .auxiliaryTypes(String.class).arity("0..*").description("the command to show the help of").build());
        return spec;
    }

    @Override
    public int run(ParseResult r, Context ctx) throws Exception {
        String[] words = r.matchedPositionalValue(0, new String[0]);
        CommandSpec root = r.commandSpec().parent();
        if (words.length == 0) {
            ctx.out().print(HelpLayout.render(root));
            return 0;
        }
        CommandLine topic = root.subcommands().get(words[0]);
        if (topic == null) {
            throw noTopic(words[0]);
        }
        ctx.out().print(HelpLayout.render(topic.getCommandSpec()));
        return 0;
    }

    static JrunException noTopic(String word) {
        return new JrunException("No help topic for '" + word + "'", NO_TOPIC);
    }
}
