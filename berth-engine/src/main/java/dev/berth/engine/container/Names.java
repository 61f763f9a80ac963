package dev.berth.engine.container;

import dev.berth.common.EngineException;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Pattern;

/** Container names: Docker's validation rule and its adjective_surname generator. */
public final class Names {
    private Names() {}

    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Accepts Docker's optional leading slash; returns the name without it. */
    public static String validate(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (!VALID.matcher(n).matches()) {
            throw EngineException.invalid("Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name);
        }
        return n;
    }

    public static String generate() {
        while (true) {
            String name = ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_" + SURNAMES.get(RANDOM.nextInt(SURNAMES.size()));
            // Docker's generator never returns this one, and neither do we.
            if (!name.equals("boring_wozniak")) return name;
        }
    }

    private static final List<String> ADJECTIVES = List.of(
            "admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome", "beautiful", "blissful",
            "bold", "boring", "brave", "busy", "charming", "clever", "compassionate", "competent", "condescending",
            "confident", "cool", "cranky", "crazy", "dazzling", "determined", "distracted", "dreamy", "eager",
            "ecstatic", "elastic", "elated", "elegant", "eloquent", "epic", "exciting", "fervent", "festive",
            "flamboyant", "focused", "friendly", "frosty", "funny", "gallant", "gifted", "goofy", "gracious", "great",
            "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible", "inspiring", "intelligent",
            "interesting", "jolly", "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest",
            "musing", "mystifying", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective", "optimistic",
            "peaceful", "pedantic", "pensive", "practical", "priceless", "quirky", "quizzical", "recursing",
            "relaxed", "reverent", "romantic", "sad", "serene", "sharp", "silly", "sleepy", "stoic", "strange",
            "stupefied", "suspicious", "sweet", "tender", "thirsty", "trusting", "unruffled", "upbeat", "vibrant",
            "vigilant", "vigorous", "wizardly", "wonderful", "xenodochial", "youthful", "zealous", "zen");

    private static final List<String> SURNAMES = List.of(
            "albattani", "allen", "almeida", "archimedes", "ardinghelli", "aryabhata", "austin", "babbage", "banach",
            "bardeen", "bartik", "bassi", "bell", "benz", "bhabha", "bhaskara", "blackwell", "bohr", "booth",
            "borg", "bose", "boyd", "brahmagupta", "brattain", "brown", "carson", "cerf", "chandrasekhar", "clarke",
            "colden", "cori", "cray", "curie", "darwin", "davinci", "dijkstra", "dirac", "driscoll", "dubinsky",
            "easley", "edison", "einstein", "elion", "engelbart", "euclid", "euler", "faraday", "feistel", "fermat",
            "fermi", "feynman", "franklin", "galileo", "gates", "goldberg", "goldstine", "goldwasser", "golick",
            "goodall", "haibt", "hamilton", "hawking", "heisenberg", "hermann", "hodgkin", "hoover", "hopper",
            "hugle", "hypatia", "jackson", "jang", "jennings", "jepsen", "johnson", "joliot", "jones", "kalam",
            "kapitsa", "kare", "keldysh", "keller", "kepler", "khorana", "kilby", "kirch", "knuth", "kowalevski",
            "lalande", "lamarr", "lamport", "leakey", "leavitt", "lederberg", "lehmann", "lewin", "lichterman",
            "liskov", "lovelace", "lumiere", "mahavira", "margulis", "matsumoto", "maxwell", "mayer", "mccarthy",
            "mcclintock", "mclean", "mcnulty", "meitner", "mendel", "mendeleev", "merkle", "mestorf", "mirzakhani",
            "montalcini", "moore", "morse", "moser", "murdock", "napier", "nash", "neumann", "newton", "nightingale",
            "nobel", "noether", "northcutt", "noyce", "panini", "pare", "pascal", "pasteur", "payne", "perlman",
            "pike", "poincare", "poitras", "proskuriakova", "ptolemy", "raman", "ramanujan", "rhodes", "ride",
            "ritchie", "robinson", "roentgen", "rosalind", "rubin", "saha", "sammet", "sanderson", "satoshi",
            "shamir", "shannon", "shaw", "shirley", "shockley", "sinoussi", "snyder", "solomon", "spence",
            "stonebraker", "sutherland", "swanson", "swartz", "swirles", "taussig", "tesla", "tharp", "thompson",
            "torvalds", "tu", "turing", "varahamihira", "vaughan", "villani", "visvesvaraya", "volhard", "wescoff",
            "wilbur", "wiles", "williams", "williamson", "wilson", "wing", "wozniak", "wright", "wu", "yalow",
            "yonath", "zhukovsky");
}
