package dev.prune4j.train.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs a {@link Trainer} to the end or for a number of steps, saving a {@link Checkpoint} every
 * {@code checkpointEvery} steps and when it stops, and resumes from one after checking that the run's settings are the
 * same (a different seed, data or rank would not continue the same run).
 */
public final class TrainingLoop {
    private final Trainer trainer;
    private final Path checkpointDir;
    private final int checkpointEvery;
    private final Map<String, Object> settings;
    private final List<Trainer.StepResult> history = new ArrayList<>();

    /** @param settings the run's options as JSON-friendly values; stored with every checkpoint */
    public TrainingLoop(Trainer trainer, Path checkpointDir, int checkpointEvery, Map<String, Object> settings) {
        this.trainer = trainer;
        this.checkpointDir = checkpointDir;
        this.checkpointEvery = checkpointEvery;
        this.settings = settings;
    }

    public List<Trainer.StepResult> history() { return List.copyOf(history); }

    /** Restores the trainer and the loss history from the checkpoint directory. */
    public void resume() throws IOException {
        Checkpoint.Contents c = Checkpoint.load(checkpointDir);
        for (String key : settings.keySet()) {
            if (!Objects.equals(String.valueOf(settings.get(key)), String.valueOf(c.settings().get(key)))) {
                throw new IllegalArgumentException("cannot resume " + checkpointDir + ": setting \"" + key + "\" was "
                        + c.settings().get(key) + " and is now " + settings.get(key));
            }
        }
        trainer.restore(c.state(), c.parameters(), c.optimizer());
        history.clear();
        history.addAll(c.history());
    }

    /**
     * Runs steps until the trainer is done or {@code maxSteps} steps have run in this call (0 = no limit).
     *
     * @param listener called after every step
     */
    public void run(int maxSteps, Consumer<Trainer.StepResult> listener) throws IOException {
        int ran = 0;
        while (!trainer.done() && (maxSteps <= 0 || ran < maxSteps)) {
            Trainer.StepResult r = trainer.step();
            history.add(r);
            ran++;
            listener.accept(r);
            if (checkpointEvery > 0 && trainer.completedSteps() % checkpointEvery == 0 && !trainer.done()) save();
        }
        save();
    }

    public void save() throws IOException {
        Checkpoint.save(checkpointDir, trainer, history, settings);
    }
}
