using System.Text;
using SpecSynth.Output;
using SpecSynth.Projects;

namespace SpecSynth.History;

/// <summary>The files earlier turns of a conversation wrote, read from disk now (as they are after any manual edits):
/// an input for the context planner ("previous implementations"). Missing, unreadable, non-UTF-8 or oversized files
/// are left out; contents are redacted like project files.</summary>
internal static class PreviousImplementations
{
    /// <summary>The largest file read, in bytes.</summary>
    public const int MaxFileBytes = 256 * 1024;

    /// <summary>The files of <paramref name="conversation"/>, most recently written first; paths relative to its output folder.</summary>
    public static IReadOnlyList<(string Path, string Content)> Read(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var result = new List<(string Path, string Content)>();
        var root = Path.GetFullPath(conversation.OutputRoot);
        foreach (var relative in conversation.FilesWritten)
        {
            string full;
            try
            {
                full = Path.Combine(root, PathGuard.Confine(root, relative));
            }
            catch (SpecSynthException)
            {
                continue;
            }
            if (ReadText(full) is { } text)
            {
                result.Add((relative, SecretRedactor.Redact(text, relative, out _)));
            }
        }
        return result;
    }

    private static string? ReadText(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxFileBytes || info.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                return null;
            }
            var bytes = File.ReadAllBytes(path);
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            return null;
        }
    }
}
