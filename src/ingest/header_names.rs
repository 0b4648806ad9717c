//! The header spellings that name a column's role rather than a question:
//! candidate ids, e-mail addresses, other columns that identify a person,
//! response counters, names, and submission and start times, in English and
//! in the languages survey tools export in (Google Forms writes `Zeitstempel`,
//! `Horodateur`, `Marca temporal`; forms ask for `E-Mail-Adresse`, `Adresse
//! e-mail`, `Dirección de correo electrónico`).
//!
//! Headers are compared by [`key`]: lower case, letters and digits only, so
//! `Candidate ID`, `candidate_id` and `Candidate-Id` are one spelling. Owns
//! only the lists and that comparison; [`super::identity`] decides which
//! column is used.

/// A header reduced to what tells spellings apart: lower-case letters and
/// digits (accents kept), or the trimmed lower-case text when it has none
/// (Typeform's `#`).
///
/// ```
/// use servicefit::ingest::header_names::key;
/// assert_eq!(key(" Candidate-ID "), "candidateid");
/// assert_eq!(key("E-Mail-Adresse"), "emailadresse");
/// assert_eq!(key("#"), "#");
/// ```
pub fn key(header: &str) -> String {
    let letters: String = header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if letters.is_empty() {
        header.trim().to_lowercase()
    } else {
        letters
    }
}

/// Headers that say the column is the candidate's id: it wins over every
/// other column. A bare `Candidate` is not one: forms use it for the name.
pub const CANDIDATE_IDS: [&str; 23] = [
    "candidateid",
    "candidatenumber",
    "applicantid",
    "applicantnumber",
    "employeeid",
    "employeenumber",
    "staffid",
    "staffnumber",
    "personid",
    "participantid",
    "externalid",
    "bewerberid",
    "bewerbernummer",
    "kandidatenid",
    "personalnummer",
    "mitarbeiterid",
    "idcandidat",
    "identifiantducandidat",
    "numérodecandidat",
    "idcandidato",
    "iddelcandidato",
    "idempleado",
    "iddecandidato",
];

/// Headers of an e-mail address the respondent gave (or signed in with).
pub const EMAILS: [&str; 16] = [
    "emailaddress",
    "email",
    "emailadresse",
    "mailadresse",
    "adresseemail",
    "adressemail",
    "adresseélectronique",
    "courriel",
    "direccióndecorreoelectrónico",
    "direccióndecorreo",
    "correoelectrónico",
    "indirizzoemail",
    "endereçodeemail",
    "emailadres",
    "username",
    "nomdutilisateur",
];

/// Columns, other than an address, that a tool fills with who the respondent
/// is: SurveyMonkey's custom data of a collector link, LimeSurvey's
/// participant token, Qualtrics' external reference. Prefixes of a key.
pub const PERSON_PREFIXES: [&str; 5] = [
    "customdata",
    "customvariable",
    "token",
    "externalreference",
    "externaldatareference",
];

/// Qualtrics' address of a contact-list recipient: an address, tried after
/// the columns of [`PERSON_PREFIXES`].
pub const RECIPIENT_EMAIL: &str = "recipientemail";

/// Headers of columns that number the responses, not the people:
/// SurveyMonkey `Respondent ID`, Qualtrics `ResponseId`, LimeSurvey and
/// Microsoft Forms `id`, Typeform `#`.
pub const RESPONSE_COUNTERS: [&str; 4] = ["respondentid", "responseid", "id", "#"];

/// Headers of a whole name.
pub const FULL_NAMES: [&str; 20] = [
    "fullname",
    "yourfullname",
    "name",
    "yourname",
    "candidatename",
    "applicantname",
    "namesurname",
    "nameandsurname",
    "firstandlastname",
    "vollständigername",
    "vorundnachname",
    "ihrname",
    "nomcomplet",
    "nometprénom",
    "prénometnom",
    "votrenom",
    "nombrecompleto",
    "nombreyapellidos",
    "sunombre",
    "nome",
];

/// Headers of a first name.
pub const FIRST_NAMES: [&str; 9] = [
    "firstname",
    "givenname",
    "forename",
    "recipientfirstname",
    "vorname",
    "prénom",
    "nombre",
    "nomedibattesimo",
    "primeironome",
];

/// Headers of a last name.
pub const LAST_NAMES: [&str; 10] = [
    "lastname",
    "surname",
    "familyname",
    "recipientlastname",
    "nachname",
    "familienname",
    "nom",
    "nomdefamille",
    "apellido",
    "apellidos",
];

/// Headers of the submission time, in order of preference.
pub const SUBMITTED: [&str; 22] = [
    "completiontime",
    "enddate",
    "recordeddate",
    "submitdate",
    "submitdateutc",
    "timestamp",
    "submittedat",
    "submitted",
    "submissiontime",
    "zeitstempel",
    "horodateur",
    "marcatemporal",
    "marcadetiempo",
    "informazionicronologiche",
    "carimbodedatahora",
    "tijdstempel",
    "fertigstellungszeit",
    "abschlusszeit",
    "heuredefin",
    "horadefinalización",
    "enddatum",
    "datedefin",
];

/// Headers of the start time, in order of preference.
pub const STARTED: [&str; 8] = [
    "starttime",
    "startdate",
    "startdateutc",
    "startzeit",
    "anfangsdatum",
    "heurededébut",
    "horadeinicio",
    "datededébut",
];

/// Google Forms' first column, `Timestamp`, in the languages a form may be in.
pub const GOOGLE_TIMESTAMPS: [&str; 7] = [
    "timestamp",
    "zeitstempel",
    "horodateur",
    "marcatemporal",
    "informazionicronologiche",
    "carimbodedatahora",
    "tijdstempel",
];

/// The first column of `headers` whose key is one of `keys`, trying the keys in order.
pub fn first_of<'h>(
    headers: impl Iterator<Item = &'h str> + Clone,
    keys: &[&str],
) -> Option<usize> {
    let keyed: Vec<String> = headers.map(key).collect();
    keys.iter()
        .find_map(|wanted| keyed.iter().position(|k| k == wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_in_other_cases_and_languages_meet() {
        for (header, list) in [
            ("Employee ID", &CANDIDATE_IDS[..]),
            ("staff_id", &CANDIDATE_IDS),
            ("applicant id", &CANDIDATE_IDS),
            ("E-Mail-Adresse", &EMAILS),
            ("Adresse e-mail", &EMAILS),
            ("Dirección de correo electrónico", &EMAILS),
            ("Zeitstempel", &SUBMITTED),
            ("Horodateur", &SUBMITTED),
            ("Marca temporal", &SUBMITTED),
            ("Vollständiger Name", &FULL_NAMES),
            ("Your full name", &FULL_NAMES),
        ] {
            assert!(list.contains(&key(header).as_str()), "{header}");
        }
        let headers = ["Q1", "E-Mail", "Email Address"];
        // The list's order decides, not the columns'.
        assert_eq!(first_of(headers.iter().copied(), &EMAILS), Some(2));
        assert_eq!(first_of(headers.iter().copied(), &FULL_NAMES), None);
    }
}
