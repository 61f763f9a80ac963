package dev.berth.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

/** Docker's confirmation prompt; anything but y or yes declines. */
final class Prompt {
    private Prompt() {
    }

    static boolean confirm(Session session, String warning) throws IOException {
        session.out.print(warning + (warning.endsWith("\n") ? "" : "\n") + "Are you sure you want to continue? [y/N] ");
        session.out.flush();
        String answer = new BufferedReader(new InputStreamReader(session.in)).readLine();
        boolean yes = answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        return yes;
    }
}
