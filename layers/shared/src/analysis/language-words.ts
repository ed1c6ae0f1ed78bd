/**
 * The commonest function words (articles, pronouns, prepositions,
 * conjunctions, auxiliaries, and the staples of a support message such as
 * "please" and "thanks") of the languages written in Latin letters that a
 * ticket is likely to be written in: the six that triage reads and Comprehend
 * analyzes for sentiment and key phrases, and others that share words or
 * letters with them. Words of one letter are left out: "a", "e", "i", "o" and
 * "y" belong to too many languages to tell any apart.
 *
 * The other languages are here so that none of them is taken for a
 * supported one: Dutch "de", "en" and "is" are Spanish, French and English
 * words too, and only Dutch's own list shows which language wrote them.
 * Words that are also common English words ("car", "pour", "plus" in French,
 * "come" in Italian, "war" in German) are left out of the other lists: terse
 * English would otherwise read as another language.
 */

const words = (list: string): readonly string[] => list.trim().split(/\s+/);

/** The languages on-box identification may name: Comprehend supports sentiment and key phrases in each. */
export const IDENTIFIED_LATIN_LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt'] as const;

export const FUNCTION_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: words(`
    the an and or but is are was were be been being am you we they he she it its my our your their this that
    these those of to in on for with at by from as not no do does did doesn didn don isn wasn aren won have has
    had haven hasn can cannot couldn could will would should how what when where why which who whom there
    here please me us him her them after since because if so just any all again get got thanks thank hello
    hi dear regards also than then into about out up been being there still only some each every our ours
    yours while until before already yet very`),
  es: words(`
    el la los las un una unos unas de del que en por para es son está están estoy estamos mi mis su
    sus nuestro nuestra nuestros nuestras no se me lo le les al como pero muy ya sí cuando donde porque
    necesito puedo pueden puede podemos hola gracias tengo tiene tenemos tienen desde este esta esto estos
    estas también cómo qué cuál ha han hemos he sobre todo todos nos usted ustedes ni fue ser
    hace después antes aún todavía algo nada cada otro otra mucho muchas hasta entre sido estado`),
  fr: words(`
    le la les un une des de du et ou que qui en dans avec par sur est sont suis je nous vous il elle
    ils elles mon ma mes notre nos votre vos ne pas ce cette ces cet au aux mais très bonjour merci
    avons avez ont depuis aussi peux pouvez peut puis comment tout tous toute toutes leur leurs été
    être fait faire sans sous chez donc quand où si lors avoir était déjà encore toujours rien même
    après avant moi lui eux ceci cela ça quel quelle quels madame monsieur`),
  de: words(`
    der die das den dem des ein eine einen einem einer eines und oder aber ist sind waren ich wir
    sie es er mein meine meiner meinen meinem unser unsere unseren unserem ihr ihre ihren ihrem nicht kein
    keine keinen mit für von zu zum zur auf bei im in an aus nach seit wie was warum wo bitte danke hallo
    kann können konnte habe haben hatte uns auch noch schon sehr dass wenn vielen viele wird werden
    wurde wurden sich mich mir dich dir durch über unter nur jetzt immer gibt diese dieser dieses diesen
    sehr geehrte geehrter damen herren grüßen`),
  it: words(`
    il lo la gli le un una uno di del della dei delle dello degli che in con per su è sono sei mio mia
    miei mie nostro nostra nostri non si mi ci al alla allo ai agli alle ma molto perché grazie ciao
    buongiorno ho hai ha abbiamo avete hanno posso può possiamo questo questa questi queste anche da dal
    dalla dai nel nella nei negli sul sulla ancora già sempre dopo prima quando cosa essere stato
    stata fatto ogni tutto tutti più vostro vostra gentile cordiali saluti`),
  pt: words(`
    os as uma uns umas de do da dos das às que em no na nos nas com por para é são está estão estou estamos
    meu minha meus minhas nosso nossa nossos não se me ao aos mas muito como obrigado obrigada olá preciso
    posso pode podem podemos tenho tem temos têm isso isto este esta estes estas também você vocês já ainda
    quando onde porque foi ser sem sobre depois antes pelo pela pelos pelas ele ela eles elas seu sua seus
    suas há até mais tudo nada cada outro outra num numa desde bom dia sou somos seja prezados
    prezada prezado senhores exmos vossa vosso`),
  nl: words(`
    de het een en of is zijn ik wij we jij je u mijn onze ons niet met voor van op in aan bij dat die dit
    maar ook nog heb hebben heeft kan kunnen graag bedankt hallo hoe wat waarom alstublieft wordt worden
    werd naar uit om er als dan geen wel al zo te zal moet mag deze door over na tot hun hij zij ze sinds
    gisteren goedemorgen groeten vriendelijke`),
  af: words(`
    die en is nie het ek ons jy julle van in op vir met dat wat was sal kan moet hulle my baie asseblief
    dankie hoe waarom ook nog nou een sedert gister`),
  lb: words(`
    ech du hien hatt mir dir si et an den de vun fir mat op net ass sinn hunn ginn wéi wat firwat wou
    merci moien awer och nach kann muss`),
  da: words(`
    og er det den at en et til på med for af som har ikke jeg vi du de min mit vores kan skal vil der fra
    om men også meget hej tak venligst hvordan hvorfor hvad når efter eller været blev siden`),
  sv: words(`
    och är det den att en ett till på med för av som har inte jag vi du de min mitt vår kan ska vill där
    från om men också mycket hej tack hur varför vad när efter eller varit blev sedan`),
  nb: words(`
    og er det den at en et til på med for av som har ikke jeg vi du de min mitt vår kan skal vil der fra
    om men også mye hei takk hvordan hvorfor hva når etter eller vært ble siden`),
  pl: words(`
    na do nie się jest są to że jak co ale czy po od dla przez mój moja moje nasz nasza jestem mam mamy
    można proszę dziękuję dzień dobry witam już jeszcze bardzo kiedy gdzie dlaczego tak ten ta te był była
    było ze we`),
  cs: words(`
    ve na do se je jsou to že jak co ale po od pro přes můj moje náš naše jsem mám máme prosím děkuji
    dobrý den už ještě velmi kdy kde proč tak ten ta byl byla bylo nebo není nemůžu`),
  sk: words(`
    vo na do sa je sú to že ako čo ale po od pre cez môj moja náš naša som mám máme prosím ďakujem dobrý
    deň už ešte veľmi kedy kde prečo tak ten ta bol bola bolo alebo nie nemôžem`),
  ro: words(`
    și în la de pe cu nu este sunt am ai are avem să că ce un unei unui mai pentru din prin care mea meu
    nostru noastră vă rog mulțumesc bună ziua când unde dar sau foarte deja încă după acest această`),
  ca: words(`
    el la els les un una uns unes de del dels que en amb per és són està estan estic meu meva nostre
    nostra no es em ho li al com però molt ja hi ha quan on perquè necessito puc poden pot hola gràcies
    tinc té des aquest aquesta això també si us plau sense sobre tot tots`),
  gl: words(`
    os as un unha uns unhas de do da dos das que en no na nos nas con por para é son está están estou meu
    miña noso nosa non se me ao mais moi como grazas ola preciso podo pode teño ten iso este esta tamén xa
    cando onde porque polo pola coa máis`),
  id: words(`
    dan yang di ke dari untuk dengan ini itu tidak ada saya kami kita anda akan sudah belum bisa dapat
    tolong terima kasih halo bagaimana mengapa apa kapan atau juga sangat masih dalam pada karena boleh
    kenapa`),
  tr: words(`
    ve bir bu da de ile için ama çok ne nasıl neden ben biz siz sen var yok değil mi gibi daha olarak
    teşekkürler lütfen merhaba şu her kadar sonra önce`),
  hu: words(`
    az és egy hogy nem is van vagy de meg már még csak ez én mi ön kérem köszönöm szia jó napot hogyan
    miért mit mikor amikor ami aki volt lesz kell`),
  fi: words(`
    ja on ei se että minä me te he tämä tuo mutta tai kun jos niin kuin myös vielä jo kiitos hei moi
    miten miksi mitä missä olen olemme ovat oli voi`),
  et: words(`
    ja on ei see et mina me teie nad aga või kui siis ka veel juba aitäh tere kuidas miks mida kus olen
    oleme oli saab palun`),
  hr: words(`
    na je su da se ne to za od do sa ali ili kako što zašto gdje kada moj moja naš naša sam smo ima nema
    molim hvala bok dobar dan već još jako`),
  sl: words(`
    in je so da se ne to za od do ali kako kaj zakaj kje kdaj moj moja naš naša sem smo ima nima prosim
    hvala živjo dober dan že še zelo`),
  sw: words(`
    na ya wa za la kwa ni katika hii hiyo huo yangu yetu sana tafadhali asante habari jinsi nini lini wapi
    kama lakini au pia bado tayari`),
  tl: words(`
    ang ng mga sa na at ay ko mo ako ikaw siya kami tayo sila hindi po opo salamat paano bakit ano kailan
    saan para may wala pero rin din`),
  eu: words(`
    eta da ez bat zer nola zergatik non noiz baina ere oso eskerrik asko mesedez naiz gara dut dugu`),
  sq: words(`
    dhe në të një është janë për me nga se por unë ne ju ata shumë faleminderit lutem si pse çfarë kur ku`),
  la: words(`
    et est in non cum sed ad ut quod qui quae per ex de sunt esse`),
  eo: words(`
    la kaj de en estas mi ni vi li ŝi ĝi ne por kun sed ankaŭ tre dankon bonvolu kiel kial kio kiam kie`),
  cy: words(`
    yr ac mae yn ar gyda ddim dw ni chi diolch os gwelwch dda sut pam beth pryd ble`),
  ga: words(`
    agus an na is tá ar le ag go ní mé muid sibh siad raibh maith agat conas cén fáth cad cathain cá`),
  vi: words(`
    và là của có không tôi chúng bạn được này đó cho với trong một các những xin cảm ơn làm sao tại`),
};
