//! Everything that can happen to the app: the input of [`super::update::update`].

use crate::lesson::Catalog;

/// One event, from a key, the mouse, the terminal or the file watcher.
#[derive(Clone, Debug)]
pub enum Msg {
    /// Leave the tutor (q, Ctrl-C).
    Quit,
    /// Stop the process until `fg` (Ctrl-Z), as in a cooked terminal.
    Suspend,
    /// Open or close the help overlay.
    ToggleHelp,
    /// Close the topmost overlay, leave the knob panel, or return to the list.
    Back,
    /// Switch the UI and lesson language, keeping place, knobs and the run.
    SwitchLang,
    /// Reload instructor files by hand (when file watching is unavailable).
    ReloadRequested,
    /// Move a list selection up (catalog, step index).
    SelectPrev,
    /// Move a list selection down (catalog, step index).
    SelectNext,
    /// Open the selected lesson, or go to the selected step in the index.
    Open,
    /// Open the playground (`nntutor play`).
    OpenPlayground,
    /// Save the playground's configuration as a lesson file.
    SavePlayground,
    /// The playground's lesson file was written (its path), or why not.
    PlaygroundSaved(Result<String, String>),
    /// Reveal the next prose segment, or go to the next step when all is shown.
    Forward,
    /// Reveal every remaining segment of the step at once.
    RevealAll,
    /// Go to the previous step.
    PrevStep,
    /// Pause or resume the demo (resuming also leaves replay).
    PauseResume,
    /// Play the run faster (up to as fast as the machine allows).
    Faster,
    /// Play the run slower.
    Slower,
    /// Pause, and run exactly one more iteration.
    StepOnce,
    /// Rebuild the demo from iteration 0 with the current knob values.
    Restart,
    /// Reset the step's knobs to the lesson's values and restart.
    ResetKnobs,
    /// Scroll the prose one line up.
    ScrollUp,
    /// Scroll the prose one line down.
    ScrollDown,
    /// Scroll the prose one page up.
    PageUp,
    /// Scroll the prose one page down.
    PageDown,
    /// Focus the knob panel and select the next knob.
    NextKnob,
    /// Focus the knob panel and select the previous knob.
    PrevKnob,
    /// Increase the selected knob by its step, or take its next choice.
    KnobUp,
    /// Decrease the selected knob by its step, or take its previous choice.
    KnobDown,
    /// Start typing an exact value for the selected knob.
    EditKnob,
    /// A character typed into the value prompt, or into a numeric
    /// question's answer field.
    InputChar(char),
    /// Delete the last character of the value prompt or the answer field.
    InputBackspace,
    /// Apply the typed value, or submit the typed answer.
    InputSubmit,
    /// Abandon the typed value, or leave the answer field (its text stays).
    InputCancel,
    /// Go back to typing the numeric answer (after leaving its field).
    TypeAnswer,
    /// Answer the step's prediction question with choice `n` (1-based).
    Answer(usize),
    /// Show the step's next hint.
    NextHint,
    /// Switch every panel between its chart and a table of its numbers.
    ToggleNumbers,
    /// Show the next chart, where only one fits on the screen.
    NextChart,
    /// Replay: show the recorded snapshot `n` moments earlier (pauses the run).
    ScrubBack(usize),
    /// Replay: show the snapshot `n` moments later (back to live past the end).
    ScrubForward(usize),
    /// Open the step index of the current lesson.
    OpenJump,
    /// The terminal now has this many columns and rows.
    Resize(u16, u16),
    /// The watched lesson files were read again.
    CatalogReloaded(Catalog),
    /// File watching could not start; the reason is shown once.
    WatchFailed(String),
}
