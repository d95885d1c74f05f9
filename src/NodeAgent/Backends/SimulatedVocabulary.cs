namespace Infera.NodeAgent.Backends;

/// <summary>The word pool every simulated model draws its own vocabulary from.</summary>
internal static class SimulatedVocabulary
{
    public static readonly string[] Nouns =
    [
        "model", "network", "river", "garden", "signal", "answer", "question", "system", "pattern", "journey",
        "machine", "library", "forest", "engine", "message", "theory", "window", "harbor", "bridge", "village",
        "structure", "process", "method", "result", "detail", "reason", "example", "problem", "solution", "idea",
        "mountain", "ocean", "story", "lesson", "teacher", "student", "record", "table", "circle", "surface",
        "balance", "current", "memory", "path", "light", "shadow", "season", "market", "language", "number",
        "sequence", "picture", "voice", "distance", "center", "edge", "layer", "measure", "practice", "purpose",
        "community", "material", "instrument", "resource", "boundary", "channel", "context", "decision", "effect",
        "estimate", "feature", "function", "history", "interval", "argument", "outcome", "principle", "quality",
        "request", "response", "schedule", "source", "strategy", "summary", "texture", "tradition", "variable",
        "weather", "archive", "compass", "harvest", "lantern", "meadow", "orbit", "puzzle", "rhythm", "canvas",
        "anchor", "beacon", "cluster", "crystal", "frontier", "gateway", "horizon", "kernel", "lattice", "margin",
        "notebook", "outline", "parcel", "quarter", "spiral", "token", "update", "vector", "workshop", "thread",
        "country", "city", "island", "valley", "field", "station", "factory", "office", "kitchen", "studio",
    ];

    public static readonly string[] Verbs =
    [
        "shapes", "follows", "explains", "supports", "connects", "reveals", "improves", "describes", "changes", "guides",
        "measures", "builds", "carries", "reflects", "protects", "combines", "extends", "replaces", "requires", "suggests",
        "creates", "reaches", "holds", "marks", "opens", "balances", "captures", "defines", "gathers", "invites",
        "limits", "links", "maintains", "observes", "organizes", "prepares", "produces", "questions", "records", "reduces",
        "repeats", "resolves", "returns", "sends", "serves", "signals", "solves", "steadies", "tests", "tracks",
        "transforms", "unfolds", "values", "watches", "weighs", "anchors", "compares", "crosses", "echoes", "frames",
        "highlights", "illuminates", "lifts", "mirrors", "nurtures", "outlines", "passes", "redirects", "sharpens",
        "softens", "traces", "welcomes", "adjusts", "borrows", "clarifies", "deepens", "encodes", "finds", "gives",
    ];

    public static readonly string[] Adjectives =
    [
        "quiet", "bright", "careful", "simple", "steady", "ancient", "modern", "useful", "gentle", "distant",
        "clear", "complex", "early", "final", "hidden", "open", "practical", "quick", "rare", "recent",
        "small", "strong", "subtle", "warm", "wide", "common", "curious", "direct", "familiar", "fresh",
        "general", "honest", "important", "local", "narrow", "natural", "patient", "precise", "reliable", "shared",
        "silent", "specific", "stable", "sudden", "thoughtful", "unusual", "vivid", "whole", "balanced", "bold",
        "calm", "crisp", "deep", "elegant", "faint", "golden", "humble", "inner", "lasting", "lively",
        "measured", "nimble", "orderly", "plain", "quirky", "rapid", "robust", "silver", "tidy", "vast",
        "abstract", "candid", "digital", "efficient", "formal", "gradual", "layered", "mutual", "parallel", "visible",
    ];

    public static readonly string[] Adverbs =
    [
        "quietly", "slowly", "carefully", "often", "rarely", "gently", "clearly", "steadily", "quickly", "simply",
        "usually", "naturally", "directly", "gradually", "openly", "patiently", "precisely", "readily", "seldom",
        "suddenly", "always", "barely", "closely", "deeply", "easily", "freely", "firmly", "largely", "mostly",
        "nearly", "partly", "plainly", "softly", "surely", "truly", "warmly", "widely", "briefly", "calmly", "boldly",
    ];

    public static readonly string[] Prepositions =
    [
        "across", "along", "around", "beneath", "beside", "between", "beyond", "near", "through", "toward",
        "under", "within", "without", "after", "before", "behind", "over", "inside",
    ];

    public static readonly string[] Determiners = ["the", "a", "this", "each", "every", "our", "that", "one", "its"];

    public static readonly string[] Openers =
    [
        "In practice", "For example", "Over time", "In short", "As a result", "At first", "In the end",
        "By contrast", "Even so", "For now", "In general", "Of course", "Above all", "On balance", "Meanwhile",
        "Still", "Indeed", "Notably", "Naturally", "Later", "Usually", "Sometimes", "Often", "Today", "Instead",
    ];

    public static readonly string[] Conjunctions =
    [
        "and", "while", "because", "although", "so", "whereas", "since", "until", "once", "when", "but", "as",
    ];
}
