package dev.prune4j.cli;

import picocli.CommandLine.Command;

/** {@code prune4j eval}: groups the evaluation verbs. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model.",
        subcommands = {EvalPplCommand.class, EvalZeroShotCommand.class})
final class EvalCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
