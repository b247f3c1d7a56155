using System.Text;
using SpecSynth.Llm;

namespace SpecSynth.Cli.Commands;

/// <summary>Reads the code files given to <c>explain</c> and <c>review</c>, with clear errors and a size cap.</summary>
internal static class CodeFiles
{
    private const long MaxBytes = 2 * 1024 * 1024;

    public static async Task<string> ReadAsync(CliHost host, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, "Name at least one code file.");
        }
        var files = new List<(string, string)>();
        long total = 0;
        foreach (var path in paths)
        {
            var full = host.FullPath(path);
            if (!File.Exists(full))
            {
                throw new SpecSynthException(ErrorKind.InvalidInput, $"{path}: no such file.");
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
            files.Add((Path.GetRelativePath(host.CurrentDirectory, full).Replace('\\', '/'), text));
        }
        return PromptBuilder.FormatCode(files);
    }
}
