namespace SpecSynth.Context.Relevance;

/// <summary>
/// Resolves module references (<see cref="FileSignals.Imports"/>) to project files: relative paths against the
/// importing file's folder (with the usual extensions and <c>index</c> files), then bare names and includes by path
/// suffix (<c>require('internal/http')</c> finds <c>lib/internal/http.js</c>, <c>#include "uv.h"</c> finds
/// <c>deps/uv/include/uv.h</c>), preferring the shortest path; a bare name that more than
/// <see cref="MaxAmbiguous"/> files share resolves to nothing. Python modules resolve to <c>.py</c> files and packages.
/// </summary>
internal sealed class ImportResolver
{
    /// <summary>Most files a bare name may match and still resolve (to the shortest of them).</summary>
    public const int MaxAmbiguous = 5;

    private static readonly string[] ScriptExtensions = ["", ".js", ".ts", ".mjs", ".cjs", ".jsx", ".tsx", ".mts", ".cts", ".json", "/index.js", "/index.ts"];

    private readonly IReadOnlyList<string> _paths;
    private readonly Dictionary<string, int> _byPath;
    private readonly Dictionary<string, List<int>> _byName;

    /// <summary>Indexes <paramref name="paths"/> (relative, <c>/</c>-separated).</summary>
    public ImportResolver(IReadOnlyList<string> paths)
    {
        _paths = paths;
        _byPath = new Dictionary<string, int>(paths.Count, StringComparer.Ordinal);
        _byName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < paths.Count; i++)
        {
            _byPath[paths[i]] = i;
            var name = FileName(paths[i]);
            if (!_byName.TryGetValue(name, out var list))
            {
                _byName[name] = list = [];
            }
            list.Add(i);
        }
    }

    /// <summary>The file name of a module reference without folders, quotes or brackets (what <see cref="Resolve"/> matches on).</summary>
    public static string Stem(string module)
    {
        var name = module.StartsWith("py:", StringComparison.Ordinal) ? module[(module.LastIndexOf('.') + 1)..] : FileName(module.TrimStart('<'));
        if (name.Length < 2)
        {
            return name;
        }
        var dot = name.IndexOf('.', 1);
        return dot > 0 ? name[..dot] : name;
    }

    /// <summary>The index of the file <paramref name="module"/> names from the file at <paramref name="from"/>, or -1.</summary>
    public int Resolve(int from, string module)
    {
        if (module.Length == 0)
        {
            return -1;
        }
        var folder = Folder(_paths[from]);
        int found;
        if (module.StartsWith("py:", StringComparison.Ordinal))
        {
            found = ResolvePython(folder, module[3..]);
        }
        else if (module[0] == '<')
        {
            found = BySuffix(module[1..], [""]);
        }
        else
        {
            var bare = module.StartsWith("node:", StringComparison.Ordinal) ? module[5..] : module;
            found = Relative(folder, bare, ScriptExtensions);
            if (found < 0 && !bare.StartsWith('.'))
            {
                found = BySuffix(bare, ScriptExtensions);
            }
        }
        return found == from ? -1 : found;
    }

    private int ResolvePython(string folder, string module)
    {
        var dots = module.Length - module.TrimStart('.').Length;
        var path = module[dots..].Replace('.', '/');
        string[] extensions = [".py", "/__init__.py"];
        if (dots > 0)
        {
            var baseFolder = folder;
            for (var up = 1; up < dots; up++)
            {
                baseFolder = Folder(baseFolder.TrimEnd('/'));
            }
            return path.Length == 0 ? Find(baseFolder + "__init__.py") : Relative(baseFolder, path, extensions);
        }
        return path.Length == 0 ? -1 : BySuffix(path, extensions);
    }

    private int Relative(string folder, string module, string[] extensions)
    {
        var combined = Normalize(folder + module);
        if (combined is null)
        {
            return -1;
        }
        foreach (var extension in extensions)
        {
            if (Find(combined + extension) is var index and >= 0)
            {
                return index;
            }
        }
        return -1;
    }

    private int BySuffix(string module, string[] extensions)
    {
        var trimmed = module.TrimStart('.', '/');
        foreach (var extension in extensions)
        {
            var wanted = trimmed + extension;
            if (!_byName.TryGetValue(FileName(wanted), out var candidates) || candidates.Count > MaxAmbiguous)
            {
                continue;
            }
            var best = -1;
            foreach (var candidate in candidates)
            {
                var path = _paths[candidate];
                if ((path.Length == wanted.Length || path.EndsWith("/" + wanted, StringComparison.Ordinal)) && path.EndsWith(wanted, StringComparison.Ordinal)
                    && (best < 0 || path.Length < _paths[best].Length || (path.Length == _paths[best].Length && string.CompareOrdinal(path, _paths[best]) < 0)))
                {
                    best = candidate;
                }
            }
            if (best >= 0)
            {
                return best;
            }
        }
        return -1;
    }

    private int Find(string path) => _byPath.TryGetValue(path, out var index) ? index : -1;

    /// <summary><c>a/b/../c/./d</c> to <c>a/c/d</c>; <c>null</c> when it climbs above the root.</summary>
    private static string? Normalize(string path)
    {
        if (!path.Contains("./", StringComparison.Ordinal))
        {
            return path;
        }
        var parts = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "." or "")
            {
                continue;
            }
            if (segment == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(segment);
        }
        return string.Join('/', parts);
    }

    private static string Folder(string path) => path[..(path.LastIndexOf('/') + 1)];

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
