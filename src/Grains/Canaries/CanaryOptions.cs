namespace Infera.Canaries;

/// <summary>Spot checks with known answers. Section <c>Infera:Canaries</c>.</summary>
public sealed class CanaryOptions
{
    /// <summary>Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A node with fewer verdicts than this is new and probed at <see cref="NewNodeRate"/>. Default 20.</summary>
    public int NewNodeVerdicts { get; set; } = 20;

    /// <summary>Chance, after each job a new node took part in, that it is sent a canary. Default 0.25.</summary>
    public double NewNodeRate { get; set; } = 0.25;

    /// <summary>The same chance for established nodes. Default 0.02.</summary>
    public double EstablishedRate { get; set; } = 0.02;

    /// <summary>Known answers kept per model. Default 64.</summary>
    public int ReferencesPerModel { get; set; } = 64;
}
