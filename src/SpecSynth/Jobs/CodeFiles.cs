using System.Text;
using SpecSynth.Prompting;
using SpecSynth.Projects;

namespace SpecSynth.Jobs;

/// <summary>
/// Reads the code files given to <c>explain</c> and <c>review</c>, with clear errors and a size cap. Each file is named
/// in the prompt by its path relative to the project (a file outside it by its name, with as many parent folders as
/// tell it apart from the others), and redacted like a project file; files that hold secrets (<c>.env</c>, keys,
/// certificates: what the project scan never opens) are refused.
/// </summary>
internal static class CodeFiles
{
    private const long MaxBytes = 2 * 1024 * 1024;

    public static async Task<string> ReadAsync(RunEnvironment host, string projectDir, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, "Name at least one code file.");
        }
        var fulls = paths.Select(host.FullPath).ToList();
        var labels = Labels(projectDir, fulls);
        var files = new List<(string, string)>();
        long total = 0;
        for (var i = 0; i < paths.Count; i++)
        {
            var (path, full, label) = (paths[i], fulls[i], labels[i]);
            if (!File.Exists(full))
            {
                throw new SpecSynthException(ErrorKind.InvalidInput, $"{path}: no such file.");
            }
            if (SecretFiles.IsSecret(label))
            {
                throw new SpecSynthException(ErrorKind.InvalidInput,
                    $"{path}: a file that holds secrets (environment, key, certificate or credential file); specsynth never sends it.");
            }
            total += new FileInfo(full).Length;
            if (total > MaxBytes)
            {
                throw new SpecSynthException(ErrorKind.InvalidInput, $"The code files exceed {MaxBytes / 1024 / 1024} MB; name fewer files.");
            }
            string text;
            try
            {
                text = await File.ReadAllTextAsync(full, new UTF8Encoding(false, throwOnInvalidBytes: true), cancellationToken).ConfigureAwait(false);
            }
            catch (DecoderFallbackException)
            {
                throw new SpecSynthException(ErrorKind.InvalidInput, $"{path}: not UTF-8 text.");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SpecSynthException(ErrorKind.InvalidInput, $"{path}: cannot read: {ex.Message}");
            }
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                throw new SpecSynthException(ErrorKind.InvalidInput, $"{path}: a binary file, not code.");
            }
            files.Add((label, SecretRedactor.Redact(text, label, out _)));
        }
        return PromptBuilder.FormatCode(files);
    }

    /// <summary>The prompt's name for each file: relative to the project (with <c>/</c>) when inside it; otherwise the
    /// shortest tail of its path (name, then parent/name, ...) that no other outside file shares.</summary>
    internal static IReadOnlyList<string> Labels(string projectDir, IReadOnlyList<string> fullPaths)
    {
        var labels = new string[fullPaths.Count];
        var outside = new List<int>();
        for (var i = 0; i < fullPaths.Count; i++)
        {
            var relative = Path.GetRelativePath(projectDir, fullPaths[i]);
            if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                outside.Add(i);
            }
            else
            {
                labels[i] = relative.Replace('\\', '/');
            }
        }
        var segments = outside.ToDictionary(i => i, i => fullPaths[i].Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries));
        for (var depth = 1; outside.Count > 0; depth++)
        {
            var tails = outside.ToDictionary(i => i, i => string.Join('/', segments[i].TakeLast(depth)));
            var unique = outside.Where(i => tails.Count(t => t.Value == tails[i]) == 1 || depth >= segments[i].Length).ToList();
            foreach (var i in unique)
            {
                labels[i] = tails[i];
            }
            outside = [.. outside.Except(unique)];
        }
        return labels;
    }
}
