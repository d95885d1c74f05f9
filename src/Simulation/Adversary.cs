namespace Infera.Simulation;

/// <summary>The kinds of dishonest node the simulation puts against honest ones.</summary>
public enum Adversary
{
    /// <summary>(a) Returns random words of about the right length.</summary>
    Garbage,

    /// <summary>(b) Returns an answer to a different prompt seen earlier, with its whitespace disturbed.</summary>
    Replay,

    /// <summary>(c) Serves a cheaper model than the one it claims.</summary>
    CheaperModel,

    /// <summary>(d) Stops after 30–75% of the answer and reports a natural stop.</summary>
    StopEarly,

    /// <summary>(e) Sybils of one operator, on one /24, all returning the same wrong answer.</summary>
    Sybil,
}

public static class AdversaryNames
{
    public static string Label(this Adversary adversary) => adversary switch
    {
        Adversary.Garbage => "(a) garbage",
        Adversary.Replay => "(b) replay",
        Adversary.CheaperModel => "(c) cheaper model",
        Adversary.StopEarly => "(d) stop early",
        Adversary.Sybil => "(e) sybils",
        _ => adversary.ToString(),
    };
}
