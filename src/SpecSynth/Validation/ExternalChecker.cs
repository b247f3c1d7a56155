using System.Diagnostics;

namespace SpecSynth.Validation;

/// <summary>Runs a configured checker command on a temporary copy of one file.</summary>
internal static class ExternalChecker
{
    public static async Task<FileValidation> CheckAsync(string command, string path, string content, ValidationOptions options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var words = CommandLine.Split(command);
        if (words.Count == 0)
        {
            return Note(path, ValidationStatus.Unvalidated, null, "the configured checker command is empty");
        }
        var validator = "external: " + words[0];
        if (CommandLine.Find(words[0]) is not { } executable)
        {
            return Note(path, ValidationStatus.CheckerMissing, validator, $"checker not installed: '{words[0]}' is not on PATH");
        }
        var folder = Directory.CreateTempSubdirectory("specsynth-check-");
        try
        {
            var copy = Path.Combine(folder.FullName, Path.GetFileName(path));
            await File.WriteAllTextAsync(copy, content, cancellationToken).ConfigureAwait(false);
            var psi = new ProcessStartInfo(executable) { WorkingDirectory = folder.FullName };
            var usesFile = false;
            foreach (var word in words.Skip(1))
            {
                usesFile |= word.Contains("{file}", StringComparison.Ordinal);
                psi.ArgumentList.Add(word.Replace("{file}", copy, StringComparison.Ordinal));
            }
            if (!usesFile)
            {
                psi.ArgumentList.Add(copy);
            }
            ProcessOutcome outcome;
            try
            {
                outcome = await ChildProcess.RunAsync(psi, options.CheckerTimeout, 64 * 1024, time, cancellationToken).ConfigureAwait(false);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                return Note(path, ValidationStatus.CheckerMissing, validator, $"checker cannot be started: {ex.Message}");
            }
            if (outcome.TimedOut)
            {
                return Note(path, ValidationStatus.Unvalidated, validator, $"the checker did not finish within {options.CheckerTimeout.TotalSeconds:0.#} s");
            }
            return outcome.ExitCode == 0
                ? new FileValidation(path, ValidationStatus.Valid, validator, [])
                : new FileValidation(path, ValidationStatus.Invalid, validator,
                    CheckerOutput.Parse(outcome.Output, copy, path, options.MaxDiagnosticsPerFile));
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static FileValidation Note(string path, ValidationStatus status, string? validator, string message) =>
        new(path, status, validator, [new Diagnostic(path, 0, 0, message, Diagnostic.Info)]);
}
