using SpecSynth.Specs;

namespace SpecSynth.Jobs;

/// <summary>
/// The specs of a many-spec run from their check until their turn. A spec file keeps only its path and the stamp of the
/// bytes checked (<see cref="SpecStamp"/>: length and SHA-256); at its turn it is read and parsed again, and if its bytes
/// changed since the check that spec fails on its own (<see cref="ReadAsync"/>), the others go on. A spec given as text
/// is held packed (<see cref="SpecificationCodec.Pack"/>). Every spec is still parsed and checked before any request;
/// a spec that has run is let go (<see cref="Release"/>).
/// </summary>
/// <param name="capacity">How many specs the run has.</param>
/// <param name="fullPath">Resolves a spec's path as given to the file to read (the run's working directory).</param>
internal sealed class CheckedSpecs(int capacity, Func<string, string> fullPath)
{
    private readonly List<string> _paths = new(capacity);

    // A spec file's stamp (a spec given as text has the default one and is in _texts).
    private readonly List<SpecStamp> _stamps = new(capacity);

    // The packed specs given as text, by index; a released one is removed.
    private Dictionary<int, byte[]>? _texts;

    // Which specs were released (each written by its own spec's task).
    private bool[] _released = new bool[capacity];

    public int Count => _paths.Count;

    /// <summary>The specs' paths (or names, for a spec given as text), in the order they were added.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>Adds a spec file that was parsed from the bytes <paramref name="stamp"/> describes.</summary>
    public void AddFile(string path, SpecStamp stamp)
    {
        _paths.Add(path);
        _stamps.Add(stamp);
        Grow();
    }

    /// <summary>Adds a spec given as text: held packed until its turn.</summary>
    public void Add(string path, Specification spec)
    {
        (_texts ??= [])[_paths.Count] = SpecificationCodec.Pack(spec);
        _paths.Add(path);
        _stamps.Add(default);
        Grow();
    }

    /// <summary>The spec at <paramref name="index"/> at its turn: its file read and parsed again, or its text unpacked.</summary>
    /// <exception cref="SpecSynthException">The spec's file changed (or went away) since it was checked.</exception>
    /// <exception cref="InvalidOperationException">The spec was released.</exception>
    public async ValueTask<Specification> ReadAsync(int index, CancellationToken cancellationToken)
    {
        if (Held(index) is { } packed)
        {
            return SpecificationCodec.Unpack(packed);
        }
        var file = fullPath(_paths[index]);
        var text = await SpecInput.RereadAsync(file, _stamps[index], cancellationToken).ConfigureAwait(false);
        return SpecParser.Parse(text ?? throw Changed(_paths[index]), file);
    }

    /// <summary>Each spec in turn, read again as <see cref="ReadAsync"/> does (for a pass over all of them before the run,
    /// e.g. the largest spec's size for routing).</summary>
    public IEnumerable<Specification> ReadAll()
    {
        for (var i = 0; i < _paths.Count; i++)
        {
            if (Held(i) is { } packed)
            {
                yield return SpecificationCodec.Unpack(packed);
                continue;
            }
            var file = fullPath(_paths[i]);
            yield return SpecParser.Parse(SpecInput.Reread(file, _stamps[i]) ?? throw Changed(_paths[i]), file);
        }
    }

    /// <summary>Lets the spec at <paramref name="index"/> go (it has run); its path stays.</summary>
    public void Release(int index)
    {
        _released[index] = true;
        if (_texts is { } texts)
        {
            lock (texts)
            {
                texts.Remove(index);
            }
        }
    }

    /// <summary>The message of a spec whose file is not the one checked at the start of the run.</summary>
    internal static SpecSynthException Changed(string path) => new(ErrorKind.InvalidInput,
        $"Specification file '{path}' changed since the run started (its bytes are not the ones checked before the first request); " +
        "nothing was generated for it. Run it again to generate it.");

    private byte[]? Held(int index)
    {
        if (_released[index])
        {
            throw new InvalidOperationException($"{_paths[index]} has run and was let go.");
        }
        if (_texts is not { } texts)
        {
            return null;
        }
        lock (texts)
        {
            return texts.TryGetValue(index, out var packed) ? packed : null;
        }
    }

    private void Grow()
    {
        if (_released.Length < _paths.Count)
        {
            Array.Resize(ref _released, Math.Max(_paths.Count, _released.Length * 2));
        }
    }
}
