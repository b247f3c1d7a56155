using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace SpecSynth.Context.Tokens;

/// <summary>
/// A token estimate for models without a local tokenizer (Claude, Ollama, the mock): characters divided by a
/// characters-per-token ratio that depends on the content (code tokenizes denser than prose; every non-ASCII character
/// is counted as a whole token), times a per-model correction factor learned from the usage replies report, plus a
/// safety margin. The result never under-counts the corrected estimate: it is rounded up and the margin is only added.
/// Thread-safe.
/// </summary>
internal sealed class CalibratedEstimator : ITokenCounter
{
    /// <summary>Characters per token of source code before calibration.</summary>
    public const double CodeCharsPerToken = 3.5;

    /// <summary>Characters per token of prose before calibration.</summary>
    public const double ProseCharsPerToken = 4.0;

    /// <summary>The default safety margin added to every estimate (10 %).</summary>
    public const double DefaultMargin = 0.10;

    /// <summary>The weight of one new observation in the moving average of the correction factor.</summary>
    public const double Alpha = 0.3;

    /// <summary>The smallest and largest correction factors (an observation outside is clamped).</summary>
    public const double MinFactor = 0.5, MaxFactor = 3.0;

    private readonly CalibrationStore _store;
    private double _factor;

    /// <summary>Creates an estimator for one model, starting from the factor stored for it (1.0 when none).</summary>
    /// <param name="provider">The provider id (<c>claude</c>, <c>ollama</c>, <c>mock</c>...): part of the calibration key.</param>
    /// <param name="model">The model id: part of the calibration key.</param>
    /// <param name="store">Where factors persist; <c>null</c> keeps them in memory.</param>
    /// <param name="margin">The safety margin (0.10 = 10 %), 0 to 1.</param>
    public CalibratedEstimator(string provider, string model, CalibrationStore? store = null, double margin = DefaultMargin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(margin, 1.0);
        Key = provider.Trim().ToLowerInvariant() + ":" + model.Trim();
        Margin = margin;
        _store = store ?? CalibrationStore.InMemory();
        _factor = Clamp(SafeLoad() ?? 1.0);
    }

    /// <summary>The calibration key, <c>provider:model</c>.</summary>
    public string Key { get; }

    /// <summary>The safety margin added to every count.</summary>
    public double Margin { get; }

    /// <summary>The current correction factor (reported tokens / uncorrected estimate), 1.0 before any observation.</summary>
    public double Factor => Volatile.Read(ref _factor);

    /// <inheritdoc />
    public bool IsExact => false;

    /// <inheritdoc />
    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return 0;
        }
        var corrected = Raw(text) * Factor;
        return (int)Math.Min(int.MaxValue, Math.Ceiling(corrected * (1 + Margin)));
    }

    /// <summary>
    /// Moves the correction factor toward what a reply reported: <paramref name="estimatedPromptTokens"/> is what this
    /// estimator counted for the prompt (the sum of its <see cref="Count"/> results, margin included) and
    /// <paramref name="reportedInputTokens"/> the input tokens the provider billed for it (cache reads and writes
    /// included). Zero, negative or absurd pairs (more than 5x apart) are ignored. Returns whether it was used.
    /// </summary>
    public bool Observe(long estimatedPromptTokens, long reportedInputTokens)
    {
        if (estimatedPromptTokens <= 0 || reportedInputTokens <= 0)
        {
            return false;
        }
        var ratio = (double)reportedInputTokens / estimatedPromptTokens;
        if (ratio is > 5.0 or < 0.2 || double.IsNaN(ratio))
        {
            return false;
        }
        // The estimate included the factor in force and the margin: undo both to get the factor this reply implies.
        var implied = Factor * (1 + Margin) * ratio;
        double Next(double current) => Clamp(current + (Alpha * (implied - current)));
        try
        {
            Volatile.Write(ref _factor, _store.Update(Key, Factor, Next));
        }
        catch (Exception ex) when (ex is SqliteException or SpecSynthException or IOException or UnauthorizedAccessException)
        {
            // The state folder is unusable: keep learning in this process only; the estimate stays safe.
            Volatile.Write(ref _factor, Next(Factor));
        }
        return true;
    }

    /// <summary>The uncorrected estimate: ASCII characters over the content's ratio plus one token per other character.</summary>
    internal static double Raw(string text)
    {
        var (ascii, other, symbols) = Tally(text);
        // Code is dense with punctuation (roughly one symbol in ten characters or more); prose has few.
        var ratio = ascii > 0 && symbols * 12 >= ascii ? CodeCharsPerToken : ProseCharsPerToken;
        return (ascii / ratio) + other;
    }

    /// <summary>The vectors counted into one set of 16-bit lanes before they are added up (a lane counts at most one per vector).</summary>
    private const int BlockVectors = 1 << 15;

    /// <summary>
    /// The counts <see cref="Raw"/> needs: ASCII characters, other characters (a surrogate pair once: its low half is not
    /// counted) and the ASCII symbols that mark code (<c>{ } ( ) ; = &lt; &gt; [ ] . , : " _</c> and tab). A vector of
    /// characters at a time (the budget estimates every request's whole prompt), then the rest one by one.
    /// </summary>
    private static (int Ascii, int Other, int Symbols) Tally(ReadOnlySpan<char> text)
    {
        var ascii = 0;
        var lows = 0;
        var symbols = 0;
        var chars = MemoryMarshal.Cast<char, ushort>(text);
        var width = Vector<ushort>.Count;
        var vectors = Vector.IsHardwareAccelerated ? chars.Length / width : 0;
        for (var block = 0; block < vectors; block += BlockVectors)
        {
            Vector<ushort> asciiLanes = default, lowLanes = default, symbolLanes = default;
            var stop = Math.Min(vectors, block + BlockVectors);
            for (var k = block; k < stop; k++)
            {
                var v = new Vector<ushort>(chars.Slice(k * width, width));
                // A true lane is all ones (-1): subtracting it counts one.
                asciiLanes -= Vector.LessThan(v, new Vector<ushort>(128));
                lowLanes -= Vector.LessThan(v - new Vector<ushort>(0xDC00), new Vector<ushort>(0x400));
                symbolLanes -= Symbols(v);
            }
            ascii += Sum(asciiLanes);
            lows += Sum(lowLanes);
            symbols += Sum(symbolLanes);
        }
        for (var i = vectors * width; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 128)
            {
                ascii++;
                if (c is '{' or '}' or '(' or ')' or ';' or '=' or '<' or '>' or '[' or ']' or '.' or ',' or ':' or '"' or '_' or '\t')
                {
                    symbols++;
                }
            }
            else if (char.IsLowSurrogate(c))
            {
                lows++;
            }
        }
        return (ascii, text.Length - ascii - lows, symbols);
    }

    /// <summary>The lanes of <paramref name="v"/> that hold a code symbol: <c>[</c> and <c>{</c>, <c>]</c> and <c>}</c> differ
    /// only by 0x20; <c>: ; &lt; = &gt;</c> (0x3A-0x3E) and <c>( )</c> (0x28-0x29) are ranges; the rest one by one.</summary>
    private static Vector<ushort> Symbols(Vector<ushort> v)
    {
        var folded = v | new Vector<ushort>(0x20);
        return Vector.Equals(folded, new Vector<ushort>('{')) | Vector.Equals(folded, new Vector<ushort>('}'))
            | Vector.LessThan(v - new Vector<ushort>(':'), new Vector<ushort>(5))
            | Vector.LessThan(v - new Vector<ushort>('('), new Vector<ushort>(2))
            | Vector.Equals(v, new Vector<ushort>('.')) | Vector.Equals(v, new Vector<ushort>(','))
            | Vector.Equals(v, new Vector<ushort>('"')) | Vector.Equals(v, new Vector<ushort>('_'))
            | Vector.Equals(v, new Vector<ushort>('\t'));
    }

    private static int Sum(Vector<ushort> lanes)
    {
        Vector.Widen(lanes, out var low, out var high);
        return (int)(Vector.Sum(low) + Vector.Sum(high));
    }

    private double? SafeLoad()
    {
        try
        {
            return _store.Load(Key);
        }
        catch (Exception ex) when (ex is SqliteException or SpecSynthException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Clamp(double factor) =>
        double.IsFinite(factor) ? Math.Clamp(factor, MinFactor, MaxFactor) : 1.0;
}
