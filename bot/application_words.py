"""Word lists the application parser reads by (lower case, pure data).

They answer three questions about a word in a message: can it be part of a company name
(common words cannot), is it part of a job title (heads and modifiers), and is it a person
or a piece of the hiring process rather than an employer ("the hiring manager", "their HR").

Each list holds English and Spanish words (the Spanish ones at the end of this module):
a message is read in either language, and the two hardly share a word.
"""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """A set of the whitespace-separated words in `text` (lists read better as prose)."""
    return frozenset(text.split())


# The last word of a job title: "data *analyst*", "senior *PM*". A phrase from a company
# slot that ends in one of these is split: "Pied Piper senior PM" = Pied Piper + senior PM.
ROLE_HEADS = word_set("""
    analyst analysts engineer engineers developer dev devs designer manager mgr pm apm tpm gpm
    po scientist researcher consultant specialist coordinator lead director associate intern
    internship apprenticeship apprentice assistant administrator admin architect officer
    representative rep executive exec accountant writer copywriter editor sub-editor
    strategist marketer teacher tutor nurse advisor adviser planner producer technician tester
    qa sre devops programmer owner master vp cto ceo cfo coo ciso supervisor agent clerk
    operator instructor trainer coach therapist counsellor counselor paralegal lawyer attorney
    solicitor economist statistician illustrator animator photographer journalist reporter
    generalist buyer merchandiser controller auditor bookkeeper underwriter actuary pharmacist
    dietitian chef cook barista driver electrician plumber mechanic welder carpenter fellow
    fellowship trainee graduate bdr sdr ae csm hrbp handler partner principal head scheme
    programme program ops operations devrel sde swe mle ux ui design marketing sales support
    success engineering
    """)
# Words found before a head in titles: "senior", "data", "customer success".
ROLE_MODIFIERS = word_set("""
    senior sr sr. junior jr jr. mid mid-level entry entry-level level principal staff lead head
    chief associate assistant deputy vice president of data product project program programme
    marketing digital content growth brand social media seo sem performance email sales
    account customer success support service services operations ops business bi financial
    finance hr people talent acquisition software frontend front-end backend back-end
    full-stack fullstack full stack web mobile ios android cloud platform infrastructure
    security cyber cybersecurity network systems machine learning ml ai research ux ui ux/ui
    ui/ux visual graphic interaction technical tech solutions implementation qa quality test
    automation devops site reliability supply chain logistics procurement compliance risk
    legal policy communications comms pr public relations community partnerships partner
    events event office executive administrative design engineering analytics insights
    strategy strategic change transformation innovation training development l&d
    instructional clinical health healthcare medical scrum agile delivery release game
    gameplay video creative art motion 3d sustainability esg environmental energy grant
    fundraising store retail area regional shift claims audit tax electrical mechanical civil
    battery hardware embedded firmware user store customer-facing accounts payable receivable
    payroll recruitment recruiting operational commercial category merchandising visual
    quantitative quant investment banking credit treasury actuarial underwriting insurance
    property real estate construction manufacturing production field sales-development
    enablement revenue demand generation lifecycle crm ecommerce e-commerce localisation
    localization translation documentation ux-ui cx experience principal-level graduate
    trainee intern internship summer spring autumn management solution api
    """)
# Nouns that close a title phrase ("the PM *role*"); dropped from the stored title.
ROLE_NOUNS = word_set("""
    role roles position positions job jobs opening openings post vacancy posting listing gig
    opportunity spot place req requisition
    """)
# Words before a title that are not part of it ("a *cool* PM role").
ROLE_FILLERS = word_set("""
    a an the my this that their its cool great nice new interesting exciting amazing awesome
    dream perfect open remote hybrid permanent temporary contract full-time part-time fulltime
    parttime fab lovely juicy
    """)

# Words that end a company name when read from a message; a name made only of these is no
# name. Names that are also English words ("Wise", "Target", "Notion") stay out of this list.
COMMON_WORDS = word_set("""
    i me my mine myself we us our ours you your yours he him his she her hers they them their
    theirs it its this that these those who whom whose which what whats what's someone
    somebody anyone anybody everyone nobody something anything nothing everything one ones
    i'm im i've ive i'd i'll ill you're youre they're theyre it's its he's she's that's
    there's here's let's we're
    a an the to at with w/ from by for as in into on onto of off out over under about above
    after before since until till via through thru across around near per than like re
    regarding towards toward upon within without between during against among
    and or but so then because cause cuz coz bc while when where if though although though
    whether either neither nor also too as well
    is are was were be been being am has have had having do does did done doing will would
    shall should can could might must won't wont can't cant couldn't couldnt shouldn't
    wouldn't wouldnt isn't isnt aren't arent wasn't wasnt weren't werent don't dont doesn't
    doesnt didn't didnt haven't havent hasn't hasnt hadn't hadnt
    got get gets getting gotten go goes going gone went come comes came coming say says said
    tell told ask asked make made take took give gave see saw seen look looked think thought
    know knew want wanted wants need needed try tried feel felt hope hoping wish let put keep
    kept call called calls calling email emailed emails send sent sending reach reached
    reaching start started starting finish finished end ended work worked working
    apply applied applying applies just finally also still already again yet really very
    quite so such too maybe hopefully probably definitely actually literally basically
    honestly seriously totally officially fully now then soon later today tonight tomorrow
    yesterday yday tmrw morning afternoon evening night week weekend month year day days
    weeks months years time times ago
    lol lmao lmfao rofl haha hahaha hehe omg omfg wow yay yey woohoo woo ugh ugh argh meh welp
    well oh ah hmm hm ok okay k yes yeah yep yup no nope nah not never please pls plz thanks
    thank thx ty btw fyi tbh imo imho idk rn tho though anyway anyways whatever ya
    update news fyi good great bad nice awesome amazing cool sad happy excited nervous
    scared stoked pumped gutted bummed annoyed relieved glad proud tired
    more most less least some any all each every other another such same few many much
    several both half lots lot bunch couple
    here there everywhere somewhere
    next last first step steps stage hear heard hearing like incl including due deadline asap booked scheduled confirmed check interesting exciting fun random weird
    crazy unfortunately sadly luckily thankfully apparently
    """)
# Phrases that are a kind of employer, not a named one: "a startup", "3 companies".
GENERIC_NOUNS = word_set("""
    company companies startup startups start-up firm firms agency agencies place places job
    jobs role roles position positions employer employers org organisation organization
    business businesses corp corporation team teams bank banks school schools hospital
    store shop places application applications app apps it them one ones somewhere
    """)
# First words that say "not a name": "a startup", "some company", "another one".
GENERIC_STARTS = word_set("""
    a an some another any one two three four five six seven eight nine ten few several
    more many multiple couple bunch lots other different same every each all no
    """)
# People and parts of the process that follow "with"/"from" but are not the employer:
# "interview with the hiring manager at Canva".
PEOPLE_WORDS = word_set("""
    hiring manager managers recruiter recruiters hr ceo cto cfo coo vp founder founders
    cofounder co-founder team panel interviewer interviewers boss mentor engineers
    engineering lead head director people guy guys lady woman man someone person
    them him her they he she you talent ta staff folks friend friends colleague coworker
    """)
# Words after a name that belong to the process, not the name: "the Acme *team*",
# "Globex *process*", "the Notion *recruiter*".
NAME_TRAILERS = word_set("""
    team teams recruiter recruiters recruiting hr people folks process application app
    interview interviews offer offers careers hiring talent office guys loop onsite rejection
    email emails call job role position posting listing page site website portal
    """)
# Job boards: where a job was seen, never the employer.
JOB_BOARDS = word_set("""
    linkedin indeed glassdoor monster ziprecruiter wellfound angellist otta handshake reed
    seek totaljobs dice simplyhired hired workable greenhouse lever ashby workday
    """)
# Nouns after "my" that make "rejected my …" about a job application.
APPLICATION_NOUNS = word_set(
    "application app applications candidacy cv resume résumé profile submission"
)
# Past-tense words that make an interview or screen already done: prefer past dates.
PAST_TENSE_MARKERS = word_set("""
    had did done went was were finished completed attended interviewed interview'd
    nailed bombed smashed survived aced wrapped
    """)
# Throwaway chat phrases that are neither a note, a company nor a title.
THROWAWAY_PHRASES = frozenset(
    phrase.strip()
    for phrase in [
        "\n    fingers crossed",
        "wish me luck",
        "here we go",
        "let's go",
        "lets go",
        "so excited",
        "so happy",
        "onwards",
        "\n    oh well",
        "whatever",
        "think it went ok",
        "kinda nervous",
        "went ok",
        "went well",
        "went great",
        "went fine\n    ",
    ]
)


# --- Spanish ------------------------------------------------------------------------------
# Spanish titles put the head first ("*analista* de datos", "*jefa* de proyecto"), so they
# are their own list; the rest joins the English lists above.
ROLE_HEADS_ES = word_set("""
    analista analistas ingeniero ingeniera ingenieros desarrollador desarrolladora programador
    programadora diseñador diseñadora disenador disenadora gerente jefe jefa director
    directora responsable coordinador coordinadora consultor consultora especialista técnico
    técnica tecnico tecnica becario becaria administrativo administrativa asistente contable
    enfermero enfermera profesor profesora maestro maestra redactor redactora periodista
    abogado abogada científico científica cientifico cientifica investigador investigadora
    comercial vendedor vendedora dependiente dependienta camarero camarera cocinero cocinera
    recepcionista auxiliar agente operario operaria mecánico mecanico electricista arquitecto
    arquitecta economista psicólogo psicóloga psicologo psicologa traductor traductora
    gestor gestora formador formadora educador educadora auditor auditora asesor asesora
    administrador administradora
    """)
_ROLE_NOUNS_ES = word_set("""
    puesto puestos rol roles vacante vacantes plaza plazas posición posicion cargo trabajo
    trabajos empleo empleos
    """)
_ROLE_FILLERS_ES = word_set("""
    un una el la mi este esta ese esa nuevo nueva buen buena gran interesante bonito
    """)
_COMMON_WORDS_ES = word_set("""
    yo me mi mis tu tus te su sus nos nuestro nuestra nuestros nuestras ellos ellas el él
    ella lo la los las un una unos unas al del de a en con para por sin sobre desde hasta
    hacia entre tras segun según que y o u e pero porque como cuando donde ya muy más mas
    también tambien todavía todavia aún aun hoy ayer mañana manana anoche semana mes año ano
    día dia días dias semanas meses años anos hace hizo hice tengo tiene tienen tuve tuvo fue
    fui ha han hemos había habia es está esta están estan estaba estoy soy se sí si este esto
    ese esa eso estos estas esos esas otro otra otros otras mucho mucha muchos muchas poco
    poca todo toda todos todas algo nada alguien nadie bien genial ojalá ojala bueno buena
    gracias hola jaja jajaja uf vaya finalmente después despues antes luego pronto tarde
    temprano ahora aquí aqui allí alli así asi lunes martes miércoles miercoles jueves
    viernes sábado sabado domingo próximo proximo próxima proxima pasado pasada siguiente
    envié envie mandé mande enviado mandado postulé postule apliqué aplique hoy final
    guardado guardada
    """)
_GENERIC_NOUNS_ES = word_set("""
    empresa empresas compañía compania compañías companias firma firmas agencia agencias
    consultora consultoras banco bancos sitio sitios puesto puestos trabajo trabajos empleo
    empleos oferta ofertas vacante vacantes candidatura candidaturas equipo equipos sector
    """)
_GENERIC_STARTS_ES = word_set("""
    una un unas unos algunas algunos alguna algún algun otra otro otras otros varias varios
    muchas muchos todas todos cada ninguna ningún ningun dos tres cuatro cinco seis siete
    ocho nueve diez más mas
    """)
_PEOPLE_WORDS_ES = word_set("""
    reclutador reclutadora reclutadores rrhh entrevistador entrevistadora entrevistadores
    equipo ellos ellas alguien persona gente amigo amiga compañero compañera
    """)
_NAME_TRAILERS_ES = word_set("""
    equipo rrhh proceso candidatura oferta entrevista llamada puesto empleo trabajo web
    """)
_JOB_BOARDS_ES = word_set("infojobs computrabajo bumeran tecnoempleo jobandtalent indeed")
_APPLICATION_NOUNS_ES = word_set(
    "candidatura solicitud cv currículum curriculum perfil postulación postulacion"
)
_PAST_TENSE_MARKERS_ES = word_set("""
    tuve tuvimos hice hicimos fue fui estuve terminé termine acabé acabe pasé pase hizo tuvo
    """)

ROLE_NOUNS = ROLE_NOUNS | _ROLE_NOUNS_ES
ROLE_FILLERS = ROLE_FILLERS | _ROLE_FILLERS_ES
COMMON_WORDS = COMMON_WORDS | _COMMON_WORDS_ES
GENERIC_NOUNS = GENERIC_NOUNS | _GENERIC_NOUNS_ES
GENERIC_STARTS = GENERIC_STARTS | _GENERIC_STARTS_ES
PEOPLE_WORDS = PEOPLE_WORDS | _PEOPLE_WORDS_ES
NAME_TRAILERS = NAME_TRAILERS | _NAME_TRAILERS_ES
JOB_BOARDS = JOB_BOARDS | _JOB_BOARDS_ES
APPLICATION_NOUNS = APPLICATION_NOUNS | _APPLICATION_NOUNS_ES
PAST_TENSE_MARKERS = PAST_TENSE_MARKERS | _PAST_TENSE_MARKERS_ES
THROWAWAY_PHRASES = THROWAWAY_PHRASES | frozenset(
    {"deseadme suerte", "deséame suerte", "deseame suerte", "crucemos los dedos", "qué nervios"}
)
