namespace RateLimitBench;

/// <summary>One limit of the fake server (requests or tokens), on its clock in seconds.</summary>
internal interface ILimitMeter
{
    /// <summary>The limit per minute.</summary>
    double Limit { get; }

    /// <summary>Charges <paramref name="cost"/> at <paramref name="now"/>, or returns the seconds until it could.</summary>
    double TryCharge(double now, double cost);

    /// <summary>Gives back part of a charge made at <paramref name="chargedAt"/> (unused output tokens).</summary>
    void Refund(double chargedAt, double cost);

    /// <summary>What is left now, and the seconds until the meter is full again (the x-ratelimit-* headers).</summary>
    (long Remaining, double ResetSeconds) Headers(double now);
}
