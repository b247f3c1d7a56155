using System.Globalization;
using System.Text;
using SpecSynth.Usage;

namespace SpecSynth.Tests.Usage;

/// <summary>The time stamp of ledger rows and audit lines: the round-trip format of the UTC time, the same text as the custom format it replaced.</summary>
public sealed class UsageStampTests
{
    [Fact]
    public void Stamp_InBytes_IsTheFormattedText_AtTheEdgesOfTheCalendarAndAtRandomTimesAndOffsets()
    {
        List<DateTimeOffset> times =
        [
            DateTimeOffset.MinValue,
            DateTimeOffset.MaxValue,
            DateTimeOffset.UnixEpoch,
            new(2024, 2, 29, 23, 59, 59, TimeSpan.Zero),
            new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999),
            new(2027, 1, 1, 0, 30, 0, TimeSpan.FromHours(5.5)),
            new(999, 3, 4, 5, 6, 7, TimeSpan.FromHours(-8)),
        ];
        var random = new Random(19);
        for (var i = 0; i < 20_000; i++)
        {
            var utcTicks = random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay);
            times.Add(new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1))));
        }
        Span<byte> bytes = stackalloc byte[UsageLedger.StampBytes];
        foreach (var time in times)
        {
            var expected = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

            var written = UsageLedger.Stamp(time, bytes);

            Assert.Equal(expected, Encoding.ASCII.GetString(bytes[..written]));
            Assert.Equal(expected, UsageLedger.Stamp(time));
        }
    }

    [Fact]
    public void Stamp_IntoTooShortABuffer_Throws_AndWritesNothing()
    {
        var buffer = new byte[27];

        Assert.Throws<InvalidOperationException>(() => UsageLedger.Stamp(DateTimeOffset.UnixEpoch, buffer));
        Assert.All(buffer, b => Assert.Equal(0, b));
    }
}
