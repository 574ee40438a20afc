<?php
// The example session, recorded call by call: what an EMR's treatment form would send.
declare(strict_types=1);

use Mfr\Context;
use Mfr\Finding;
use Mfr\Region;
use Mfr\Release;
use Mfr\Session;
use Mfr\Side;

function record_session(Context $context): Session
{
    $session = $context->newSession('S-PHP-0001')
        ->setPatient('Patient/p-456')
        ->setPeriod('2020-11-17T09:00:00+01:00')
        ->addRegion(Region::THORACIC_SPINE)
        ->addRegion(Region::UPPER_TRAPEZIUS)
        ->setCourse(1, 6)
        ->setNote('Séance 1 : épaule droite');
    $session->addFinding(Finding::vertebra('T6', Side::LEFT)->restriction(2)->pain(5)->tender(true));
    $session->addFinding(Finding::vertebra('T7', Side::BILATERAL)->restriction(3)->pain(8)
        ->released(Release::PARTIAL));
    $session->addFinding(Finding::region(Region::UPPER_TRAPEZIUS, Side::RIGHT)->restriction(1)
        ->note('détente après deux passages'));
    return $session;
}
