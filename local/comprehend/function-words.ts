/**
 * Short lists of the commonest function words (articles, pronouns, prepositions, auxiliaries
 * and support-message staples such as "please"/"bitte") per Latin-script language.
 *
 * Character n-gram detectors misjudge one-line messages ("How do I export my invoices as
 * CSV?" comes out Hungarian), while function words decide such lines reliably. The same lists
 * delimit key-phrase candidates for languages wink's English model cannot tag.
 * Dutch is listed only so that its "de"/"van"/"het" do not count as Spanish or French evidence.
 */

const words = (list: string): ReadonlySet<string> => new Set(list.trim().split(/\s+/));

export const FUNCTION_WORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  en: words(`
    the a an and or but is are was were be been am i you we they he she it its my our your their
    this that these those of to in on for with at by from as not do does did have has had can could
    will would should how what when where why which who there here please me us after since because
    if so just any all again get got thanks hi hello`),
  es: words(`
    el la los las un una unos unas de del y o que en con por para es son está están estoy mi mis su
    sus nuestro nuestra no se me lo le al como pero muy ya hay sí cuando donde porque necesito puedo
    pueden puede hola gracias ayuda tengo tiene desde este esta esto también favor cómo qué
    cuál`),
  fr: words(`
    le la les un une des de du et ou que qui en dans avec pour par sur est sont suis je j nous vous il
    elle ils mon ma mes notre nos votre vos ne pas plus ce cette ces au aux mais très bonjour merci ai
    avons avez d l qu n c s m t plaît depuis aussi peux pouvez puis comment beaucoup tout
    tous`),
  de: words(`
    der die das den dem des ein eine einen einem einer und oder aber ist sind bin war ich wir sie es er
    mein meine meiner meinen unser unsere unseren ihr ihre nicht kein keine mit für von zu zum zur auf
    bei im in an aus nach seit wie was warum wo bitte danke hallo kann können habe haben uns auch noch
    schon sehr dass wenn vielen viele`),
  it: words(`
    il lo la i gli le un una uno di del della e o che in con per su è sono sei mio mia nostro nostra non
    si mi ci al alla ma molto come perché grazie ciao buongiorno ho abbiamo posso può questo questa anche
    da dal nel nella`),
  pt: words(`
    o a os as um uma de do da dos das e ou que em no na nos nas com por para é são está estão estou meu
    minha nosso nossa não se me ao mas muito como obrigado obrigada olá preciso posso pode tenho tem isso
    este esta também você vocês`),
  nl: words(`
    de het een en of is zijn ik wij we jij u mijn onze niet met voor van op in aan bij dat die dit maar
    ook nog heb hebben kan kunnen graag bedankt hallo hoe wat waarom alstublieft`),
};

/**
 * Words that link nouns inside one noun phrase ("base de datos", "numéro de commande"), so
 * the stopword chunker keeps them within a phrase instead of splitting on them.
 */
export const NOUN_PHRASE_LINKS: Readonly<Record<string, ReadonlySet<string>>> = {
  es: words('de del'),
  fr: words('de du des d'),
  it: words('di del della'),
  pt: words('de do da dos das'),
};
