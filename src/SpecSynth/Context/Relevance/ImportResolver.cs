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
    private int _sorted; // 0: not known yet, 1: strictly increasing (binary search), -1: not (a dictionary)
    private Dictionary<string, int>? _byPath;
    private int[]? _nameHeads;
    private int[]? _nameNext;

    /// <summary>Indexes <paramref name="paths"/> (relative, <c>/</c>-separated). Nothing is built until a lookup needs
    /// it: sorted paths (the walk's order) are searched in place, file names are chained by their hash (no strings made).</summary>
    public ImportResolver(IReadOnlyList<string> paths)
    {
        _paths = paths;
    }

    /// <summary>Where the file name of a module reference (<see cref="Stem"/>) starts in <paramref name="module"/>, and its length.</summary>
    public static void StemRange(ReadOnlySpan<char> module, out int start, out int length)
    {
        if (module.StartsWith("py:", StringComparison.Ordinal))
        {
            start = module.LastIndexOf('.') + 1;
        }
        else
        {
            var trim = 0;
            while (trim < module.Length && module[trim] == '<')
            {
                trim++;
            }
            start = trim + module[trim..].LastIndexOf('/') + 1;
        }
        var name = module[start..];
        var dot = name.Length < 2 ? -1 : name[1..].IndexOf('.');
        length = dot >= 0 ? dot + 1 : name.Length;
    }

    /// <summary><see cref="StemRange(ReadOnlySpan{char}, out int, out int)"/> over a reference's UTF-8 bytes (its
    /// separators are ASCII, so the stem's bytes are the UTF-8 of the stem).</summary>
    public static void StemRange(ReadOnlySpan<byte> module, out int start, out int length)
    {
        if (module.StartsWith("py:"u8))
        {
            start = module.LastIndexOf((byte)'.') + 1;
        }
        else
        {
            var trim = 0;
            while (trim < module.Length && module[trim] == (byte)'<')
            {
                trim++;
            }
            start = trim + module[trim..].LastIndexOf((byte)'/') + 1;
        }
        var name = module[start..];
        var dot = name.Length < 2 ? -1 : name[1..].IndexOf((byte)'.');
        length = dot >= 0 ? dot + 1 : name.Length;
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
            var name = FileNameSpan(wanted);
            var heads = NameHeads(out var next);
            var slot = string.GetHashCode(name) & (heads.Length - 1);
            var matching = 0;
            for (var c = heads[slot]; c >= 0; c = next[c])
            {
                matching += FileNameSpan(_paths[c]).Equals(name, StringComparison.Ordinal) ? 1 : 0;
            }
            if (matching == 0 || matching > MaxAmbiguous)
            {
                continue;
            }
            var best = -1;
            for (var candidate = heads[slot]; candidate >= 0; candidate = next[candidate])
            {
                var path = _paths[candidate];
                if (!FileNameSpan(path).Equals(name, StringComparison.Ordinal))
                {
                    continue;
                }
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

    private int Find(string path)
    {
        if (_sorted == 0)
        {
            _sorted = OrdinalPaths.Ascending(_paths) ? 1 : -1;
        }
        if (_sorted < 0)
        {
            if (_byPath is null)
            {
                _byPath = new Dictionary<string, int>(_paths.Count, StringComparer.Ordinal);
                for (var i = 0; i < _paths.Count; i++)
                {
                    _byPath[_paths[i]] = i;
                }
            }
            return _byPath.TryGetValue(path, out var index) ? index : -1;
        }
        return OrdinalPaths.IndexOf(_paths, path);
    }

    /// <summary>The files chained by the hash of their file names (built on first use).</summary>
    private int[] NameHeads(out int[] next)
    {
        if (_nameHeads is null || _nameNext is null)
        {
            var size = 16;
            while (size < _paths.Count * 2)
            {
                size <<= 1;
            }
            var heads = new int[size];
            Array.Fill(heads, -1);
            var chain = new int[_paths.Count];
            for (var i = _paths.Count - 1; i >= 0; i--)
            {
                var slot = string.GetHashCode(FileNameSpan(_paths[i])) & (size - 1);
                chain[i] = heads[slot];
                heads[slot] = i;
            }
            _nameNext = chain;
            _nameHeads = heads;
        }
        next = _nameNext;
        return _nameHeads;
    }

    private static ReadOnlySpan<char> FileNameSpan(string path) => path.AsSpan(path.LastIndexOf('/') + 1);

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
