package dev.prune4j.cli;

import dev.prune4j.model.ModelFormatException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code prune4j} command: parses the verb and its options, maps failures to clear messages and exit codes. */
@Command(name = "prune4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Prune large language models and measure what it cost.",
        subcommands = {InfoCommand.class, GenerateCommand.class, EvalCommand.class, PruneCommand.class, FinetuneCommand.class,
                ConvertCommand.class, BenchCommand.class, CompareCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Option(names = "--threads", description = "Compute threads (default: all cores). Also -Dprune4j.threads.")
    void threads(int n) {
        if (n < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--threads must be at least 1");
        System.setProperty("prune4j.threads", Integer.toString(n));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        return cli.execute(args);
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String message = switch (e) {
            case NoSuchFileException f -> "file not found: " + f.getFile() + (f.getReason() != null ? " (" + f.getReason() + ")" : "");
            case ModelFormatException m -> m.getMessage();
            case IllegalArgumentException i -> i.getMessage();
            default -> e.toString();
        };
        err.println(cmd.getColorScheme().errorText("error: " + message));
        if (!(e instanceof NoSuchFileException || e instanceof ModelFormatException || e instanceof IllegalArgumentException)
                || Boolean.getBoolean("prune4j.stacktrace")) {
            e.printStackTrace(err);
        }
        return 1;
    }
}
