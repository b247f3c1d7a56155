namespace SpecSynth.Validation;

/// <summary>
/// Copies a project folder for a <c>--check</c> run, skipping build output and dependency folders
/// (<c>bin</c>, <c>obj</c>, <c>.git</c>, <c>node_modules</c>, <c>.specsynth</c>). Linked files are copied as
/// their content, linked folders and dangling links are skipped, so the check cannot write back into the project.
/// </summary>
internal static class ProjectCopy
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", ".git", "node_modules", ".specsynth" };

    public static void Copy(string source, string destination, CancellationToken cancellationToken)
    {
        var pending = new Stack<(string From, string To)>();
        pending.Push((source, destination));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (from, to) = pending.Pop();
            Directory.CreateDirectory(to);
            foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
            {
                var target = Path.Combine(to, entry.Name);
                if (entry is DirectoryInfo dir)
                {
                    if (dir.LinkTarget is null && !Skipped.Contains(dir.Name)
                        && !Path.TrimEndingDirectorySeparator(dir.FullName).Equals(destination, StringComparison.Ordinal))
                    {
                        pending.Push((dir.FullName, target));
                    }
                }
                else if (entry.LinkTarget is null || File.Exists(entry.FullName))
                {
                    File.Copy(entry.FullName, target);
                }
            }
        }
    }

    public static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}
