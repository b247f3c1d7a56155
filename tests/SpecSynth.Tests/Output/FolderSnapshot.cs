using System.Security.Cryptography;

namespace SpecSynth.Tests.Output;

/// <summary>Everything under a folder (files with a hash of their bytes, folders, links), for before/after comparisons.</summary>
internal static class FolderSnapshot
{
    public static SortedDictionary<string, string> Take(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return result;
        }
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var dir))
        {
            foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                var key = Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
                if (entry.LinkTarget is { } target)
                {
                    result[key] = "link -> " + target;
                }
                else if (entry is DirectoryInfo)
                {
                    result[key] = "dir";
                    pending.Push(entry.FullName);
                }
                else
                {
                    result[key] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry.FullName)));
                }
            }
        }
        return result;
    }

    /// <summary>Relative paths of specsynth temp files left anywhere under <paramref name="root"/>.</summary>
    public static string[] TempFiles(string root) =>
        [.. Take(root).Keys.Where(k => Path.GetFileName(k).StartsWith(".specsynth-tmp-", StringComparison.Ordinal))];
}
