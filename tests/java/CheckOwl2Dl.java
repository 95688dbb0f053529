// Checks an ontology file against the OWL 2 DL profile (OWL API) and has HermiT classify it.
// Run from source (Java 11+) with the HermiT jar that owlready2 ships, which bundles the OWL API:
//   java -cp HermiT.jar CheckOwl2Dl.java ontology.ttl
// Prints one line per problem; exits 0 when there is none, 1 otherwise.
import java.io.File;
import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class CheckOwl2Dl {
    public static void main(String[] args) throws Exception {
        OWLOntology ontology = OWLManager.createOWLOntologyManager()
            .loadOntologyFromOntologyDocument(new File(args[0]));
        int problems = 0;
        for (OWLProfileViolation violation : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
            System.out.println("not OWL 2 DL: " + violation);
            problems++;
        }
        try {
            Reasoner reasoner = new Reasoner(ontology);
            if (!reasoner.isConsistent()) {
                System.out.println("HermiT: the ontology is inconsistent");
                problems++;
            } else {
                for (OWLClass cls : reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom()) {
                    System.out.println("HermiT: unsatisfiable class " + cls);
                    problems++;
                }
            }
        } catch (RuntimeException rejected) {  // e.g. a datatype outside the OWL 2 datatype map
            System.out.println("HermiT: " + String.join(" ", rejected.getMessage().split("\\s+")));
            problems++;
        }
        System.exit(problems == 0 ? 0 : 1);
    }
}
