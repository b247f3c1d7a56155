using System.Buffers;
using System.Text.Json;

namespace SpecSynth;

/// <summary>
/// A JSON writer and its buffer kept for reuse by one thread (held in a <c>[ThreadStatic]</c> slot of its user), so a
/// document written per request allocates only its result: <see cref="Start"/> hands out the slot's writer emptied,
/// <see cref="Release"/> drops it when a long document grew its buffer past <see cref="KeptBytes"/>.
/// </summary>
internal sealed class ThreadJsonWriter
{
    /// <summary>A buffer grown past this by one long document is not kept.</summary>
    public const int KeptBytes = 64 * 1024;

    private ThreadJsonWriter(JsonWriterOptions options)
    {
        Buffer = new ArrayBufferWriter<byte>(1024);
        Json = new Utf8JsonWriter(Buffer, options);
    }

    /// <summary>What was written (after <see cref="Utf8JsonWriter.Flush"/>).</summary>
    public ArrayBufferWriter<byte> Buffer { get; }

    /// <summary>The writer over <see cref="Buffer"/>.</summary>
    public Utf8JsonWriter Json { get; }

    /// <summary>The writer in <paramref name="slot"/> (made with <paramref name="options"/> the first time), emptied.</summary>
    public static ThreadJsonWriter Start(ref ThreadJsonWriter? slot, JsonWriterOptions options = default)
    {
        var writer = slot ??= new ThreadJsonWriter(options);
        writer.Buffer.ResetWrittenCount();
        writer.Json.Reset();
        return writer;
    }

    /// <summary>Empties <paramref name="slot"/> when its buffer grew past <see cref="KeptBytes"/>.</summary>
    public static void Release(ref ThreadJsonWriter? slot)
    {
        if (slot is { Buffer.Capacity: > KeptBytes })
        {
            slot = null;
        }
    }
}
