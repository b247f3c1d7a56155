using System.Diagnostics;
using SpecSynth.Parsing;
using SpecSynth.Output;

namespace SpecSynth.Validation;

/// <summary>
/// Runs the user's <c>--check</c> command (<c>dotnet build</c>, <c>npm test</c>...) against the generated files
/// without touching the project: the project is copied into a temporary folder (skipping <c>bin</c>, <c>obj</c>,
/// <c>.git</c>, <c>node_modules</c>), the generated files are written there through an <see cref="OutputPlan"/>
/// (so every path is confined to the copy), and the command runs with <c>/bin/sh -c</c> (<c>cmd /c</c> on Windows)
/// in that folder (with MSBuild node reuse and the MSBuild server turned off, so no build process outlives the copy).
/// The temporary folder is always deleted. Generated code is run only through this class, and
/// only when the user asked for a check.
/// </summary>
/// <param name="timeProvider">Time for the timeout (the run's clock).</param>
internal sealed class CheckCommandRunner(TimeProvider timeProvider)
{
    private readonly TimeProvider _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));

    /// <summary>Copies <paramref name="projectRoot"/>, applies <paramref name="files"/> and runs <paramref name="command"/>.</summary>
    /// <param name="projectRoot">The project folder (the output folder the files would be written to).</param>
    /// <param name="files">The generated files, paths relative to <paramref name="projectRoot"/>.</param>
    /// <param name="command">The shell command line.</param>
    /// <param name="options">Timeout and output cap; <c>null</c> uses <see cref="CheckOptions.Default"/>.</param>
    /// <param name="cancellationToken">Kills the command and deletes the copy.</param>
    /// <returns>Pass or fail (exit code 0 within the timeout), the exit code and the captured output.</returns>
    /// <exception cref="SpecSynthException">The project folder does not exist or cannot be copied
    /// (<see cref="ErrorKind.InvalidInput"/>), or a generated path is unsafe (<see cref="ErrorKind.UnusableOutput"/>).</exception>
    public async Task<CheckResult> RunAsync(string projectRoot, IReadOnlyList<GeneratedFile> files, string command,
        CheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectRoot);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        options ??= CheckOptions.Default;
        var root = Path.GetFullPath(projectRoot);
        var temp = Directory.CreateTempSubdirectory("specsynth-check-").FullName;
        try
        {
            var copy = Path.Combine(temp, "project");
            if (Directory.Exists(root))
            {
                CopyProject(root, copy, cancellationToken);
            }
            else
            {
                // A new output folder: the check runs on the generated files alone.
                Directory.CreateDirectory(copy);
            }
            var plan = OutputPlan.Create(copy, files);
            await new SafeFileWriter().WriteAsync(plan, cancellationToken).ConfigureAwait(false);
            var outcome = await ChildProcess.RunAsync(Shell(command, copy), options.Timeout, options.MaxOutputChars, _time, cancellationToken,
                options.OnOutputLine)
                .ConfigureAwait(false);
            return new CheckResult(command, outcome.ExitCode == 0, outcome.ExitCode, outcome.Output, outcome.TimedOut, outcome.Duration);
        }
        finally
        {
            ProjectCopy.Delete(temp);
        }
    }

    private static void CopyProject(string root, string copy, CancellationToken cancellationToken)
    {
        try
        {
            ProjectCopy.Copy(root, copy, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"Could not copy the project folder '{root}' for the check: {ex.Message}", ex);
        }
    }

    private static ProcessStartInfo Shell(string command, string workingDirectory)
    {
        var psi = OperatingSystem.IsWindows() ? new ProcessStartInfo("cmd.exe") : new ProcessStartInfo("/bin/sh");
        psi.ArgumentList.Add(OperatingSystem.IsWindows() ? "/c" : "-c");
        psi.ArgumentList.Add(command);
        psi.WorkingDirectory = workingDirectory;
        // No long-lived MSBuild nodes or build servers started from (and left running in) the throw-away copy.
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        return psi;
    }
}
