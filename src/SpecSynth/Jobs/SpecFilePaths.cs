using System.Collections;

namespace SpecSynth.Jobs;

/// <summary>
/// The full paths of a many-spec run's spec files (the specs given as text left out), made when read instead of held: the
/// run reads them once, when its first write resolves them to the files a reply may not replace
/// (<see cref="Output.ProtectedFiles"/>). A path that is already full is the caller's own string, not a copy. A run of
/// 10,000 specs held their array to its end, and with relative paths (<c>specs/*.md</c>) 10,000 full-path copies (~1.3 MB).
/// </summary>
/// <param name="requests">The run's specs (held by the run anyway).</param>
/// <param name="fullPath">Resolves a spec's path as given against the run's working directory.</param>
internal sealed class SpecFilePaths(IReadOnlyList<GenerateRequest> requests, Func<string, string> fullPath) : IReadOnlyList<string>
{
    // How many of the requests are files: all of them unless one was given as text (standard input).
    private readonly int _count = Files(requests);

    public int Count => _count;

    public string this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _count);
            if (_count == requests.Count)
            {
                return Full(requests[index].SpecPath!);
            }
            foreach (var path in this)
            {
                if (index-- == 0)
                {
                    return path;
                }
            }
            throw new InvalidOperationException("The run's specs changed.");
        }
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i].SpecPath is { } path)
            {
                yield return Full(path);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The full path of <paramref name="path"/>: <paramref name="path"/> itself when it is one already.</summary>
    private string Full(string path)
    {
        var full = fullPath(path);
        return string.Equals(full, path, StringComparison.Ordinal) ? path : full;
    }

    private static int Files(IReadOnlyList<GenerateRequest> requests)
    {
        var files = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            files += requests[i].SpecPath is null ? 0 : 1;
        }
        return files;
    }
}
