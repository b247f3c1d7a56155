using System.Collections;
using SpecSynth.Specs;

namespace SpecSynth.Jobs;

/// <summary>
/// The parsed specs of a many-spec run from their parse until their turn: each held packed (<see cref="SpecificationCodec.Pack"/>)
/// and unpacked whenever it is read, so the run holds about the size of their texts instead of their object graphs
/// (every spec is still parsed and checked before any request). A spec that has run is let go (<see cref="Release"/>).
/// </summary>
internal sealed class CheckedSpecs(int capacity) : IReadOnlyList<(string Path, Specification Spec)>
{
    private readonly List<string> _paths = new(capacity);

    // A packed spec, or null once released.
    private readonly List<byte[]?> _held = new(capacity);

    public int Count => _paths.Count;

    /// <summary>The specs' paths (or names, for a spec given as text), in the order they were added.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <exception cref="InvalidOperationException">The spec was released.</exception>
    public (string Path, Specification Spec) this[int index] => (_paths[index], _held[index] switch
    {
        { } packed => SpecificationCodec.Unpack(packed),
        null => throw new InvalidOperationException($"{_paths[index]} has run and was let go."),
    });

    public void Add(string path, Specification spec)
    {
        _paths.Add(path);
        _held.Add(SpecificationCodec.Pack(spec));
    }

    /// <summary>Lets the spec at <paramref name="index"/> go (it has run); its path stays.</summary>
    public void Release(int index) => _held[index] = null;

    public IEnumerator<(string Path, Specification Spec)> GetEnumerator()
    {
        for (var i = 0; i < _paths.Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
