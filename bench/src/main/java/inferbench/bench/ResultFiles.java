package inferbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes result files whole: each goes to a temp file first and is renamed into place, so an
 * interrupted run never leaves a half-written table next to the previous run's charts.
 */
final class ResultFiles {
    private ResultFiles() {
    }

    static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, content);
        return Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The files that are missing or empty, for the --quick check. */
    static List<Path> missing(List<Path> files) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                missing.add(file);
            }
        }
        return missing;
    }
}
